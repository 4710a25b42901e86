"""Hand-written templates and phrase banks the demo composes its questions, answers and posts from.

Each practice has its own questions (with answers that fit them), posts and slot values, so a
reliability engineer's question reads like one. `{slot}` names are filled from the practice's
slots, the shared slots below, or what the planner knows (`{site}` is the author's site, `{name}`
the first name of the person addressed). `[a|b|c]` picks one phrasing, so titles vary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class QuestionTemplate:
    title: str
    body: str
    tags: tuple[str, ...]
    answers: tuple[str, ...]
    """Answers that fit this question; different responders pick different ones."""


@dataclass(frozen=True, slots=True)
class PostTemplate:
    kind: str  # story, article, tip or announcement (sharing.models.PostKind)
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class Bank:
    slots: Mapping[str, tuple[str, ...]]
    questions: tuple[QuestionTemplate, ...]
    posts: tuple[PostTemplate, ...]
    advice: tuple[str, ...]
    """General advice in the practice that an answer may end with."""
    clarifications: tuple[str, ...]
    """Comments asking the asker for the detail a helper needs."""
    agenda_topics: tuple[str, ...] = field(default=())


SHARED_SLOTS: Mapping[str, tuple[str, ...]] = {
    "weekday": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
    "percent": ("18%", "25%", "30%", "40%", "half"),
    "period": ("three months", "four months", "six months", "a year"),
    "month": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

QUESTION_OPENERS: tuple[str, ...] = (
    "Quick one for the group.",
    "We ran into this at {site} last week.",
    "Looking for a sanity check before we commit to a plan.",
    "New to this area, so apologies if it's basic.",
    "This came up in our morning meeting at {site} and nobody had a firm answer.",
    "Hoping someone has been here before.",
    "",
    "",
)

QUESTION_CLOSERS: tuple[str, ...] = (
    "Any pointers welcome.",
    "What has worked for you?",
    "Happy to share our notes once we settle it.",
    "Thanks in advance!",
    "Even a rule of thumb would help.",
    "If someone has a procedure they can share, even better.",
)

ANSWER_OPENERS: tuple[str, ...] = (
    "We had the same issue at {site}.",
    "Good question.",
    "From our experience at {site}:",
    "I went through this last year.",
    "",
    "",
    "",
)

ANSWER_CLOSERS: tuple[str, ...] = (
    "Happy to walk you through it on a call.",
    "Ping me if you want our checklist.",
    "Hope that helps.",
    "Let us know how it goes.",
    "",
    "",
)

ASKER_REPLIES: tuple[str, ...] = (
    "Good point: I'll check that on the next shift and report back.",
    "Yes, checked that already and it made no difference.",
    "Not yet. I'll add it to the list, thanks.",
    "It's been like this since the last overhaul, so I suspect something changed then.",
    "We only have the original drawings, but I'll ask the site engineer.",
)

FOLLOWING: tuple[str, ...] = (
    "Following: we're about to hit the same problem at {site}.",
    "+1, would like to know too.",
    "Same question from our team at {site}. Following.",
)

THANKS: tuple[str, ...] = (
    "Thanks {name}, that was it.",
    "Tried this on {weekday}'s shift and it worked. Much appreciated!",
    "Really useful, thank you. Sharing this with the team at {site}.",
    "That makes sense now. Thanks for taking the time, {name}.",
    "Exactly what I needed, {name}. Accepting this one.",
)

AGREEMENTS: tuple[str, ...] = (
    "Agree with {name}; we do the same at {site}.",
    "One caveat: check with your site's engineering authority before changing the standard.",
    "This matches what we found too. Worth writing it into the procedure.",
    "Good answer. I'd add: record what you changed, so the next person knows why.",
)

POST_COMMENTS: tuple[str, ...] = (
    "Great result, {name}! How long did it take to roll out?",
    "Could you share the slides?",
    "Congratulations to the team.",
    "Would this work on a smaller site like {site}?",
    "Thanks for writing this up, {name}.",
    "Saving this one. We're starting something similar at {site}.",
    "What was the hardest part to get people on board with?",
)

BROADCAST_COMMENTS: tuple[str, ...] = (
    "Thanks for the heads-up.",
    "Congratulations!",
    "Nice one, {name}.",
    "Noted, thanks.",
)


MECHANICAL = Bank(
    slots={
        "pump": (
            "the cooling water pumps",
            "the boiler feed pumps",
            "the slurry pumps on line 2",
            "the fire water jockey pump",
            "the transfer pumps on the pump skids",
            "the condensate return pumps",
        ),
        "bolt": ("M12", "M16", "M20", "M24"),
        "gasket": ("spiral-wound", "PTFE envelope", "compressed fibre", "graphite"),
        "bearing": (
            "6310 deep-groove",
            "22220 spherical roller",
            "7312 angular-contact",
            "NU 316 cylindrical roller",
        ),
        "machine": (
            "the main air compressor",
            "the ID fan",
            "the cooling tower fan gearbox",
            "the conveyor drive on line 3",
            "the mixer agitator",
            "the chiller compressor",
        ),
        "seal": ("single cartridge", "double mechanical", "split", "gas barrier"),
        "lube": (
            "ISO VG 68 turbine oil",
            "ISO VG 220 gear oil",
            "lithium complex grease",
            "polyurea grease",
        ),
        "interval": ("every 2,000 hours", "monthly", "every quarter", "twice a year"),
        "vib": ("2.8", "4.5", "7.1"),
        "rpm": ("1,000", "1,500", "3,000"),
        "coupling": ("grid", "jaw", "disc pack", "gear"),
    },
    questions=(
        QuestionTemplate(
            "What torque [spec|value] do you use for {bolt} flange bolts on {pump}?",
            "We're replacing the {gasket} gaskets during the shutdown and the old work pack just "
            'says "tighten evenly". Do you torque to a fixed value or calculate it from the '
            "gasket stress? And do you use a star pattern in three passes, or something else?",
            ("torque", "bolting", "pumps"),
            (
                "We stopped using a single value and calculate the bolt load per joint from the "
                "gasket maker's minimum seating stress. Three passes in a star pattern (30%, 60%, "
                "100%), then one circular check pass at 100%.",
                "Look at ASME PCC-1 Appendix O. We built a one-page table per flange size from it "
                "and laminated it for the tool crib. The biggest win was insisting on lubricated "
                "nuts: the same torque gave wildly different bolt loads before.",
                "Whatever value you pick, write it on the work order and have the technician "
                "sign it. Most of our leaks traced back to an impact gun on the final pass.",
            ),
        ),
        QuestionTemplate(
            "{bearing} bearings on {machine} keep failing after [about six weeks|a month or two]: "
            "where would you start?",
            "We've replaced them twice this year. Temperatures look normal until the last few "
            "days, then vibration jumps. Lubricated with {lube} {interval}, and alignment was "
            "checked after the last change. What would you look at next?",
            ("bearings", "failure-analysis", "vibration"),
            (
                "Cut the failed bearing open and look at the load zone before anything else. A "
                "wide, off-centre track usually means misalignment or a bent shaft; fluting "
                "points to current passing through, especially with a VFD upstream.",
                "Six weeks smells like over-greasing. We found a contractor giving every point "
                "three full shots. Weigh the grease per stroke of the gun and work out the real "
                "quantity from the bearing size.",
                "Check the housing fit. We had an oval housing bore on a similar drive and no "
                "amount of alignment fixed it.",
            ),
        ),
        QuestionTemplate(
            "[Laser alignment tolerances|Alignment tolerance table] for a {coupling} coupling at "
            "{rpm} rpm?",
            "Our contractor aligned {machine} to within 0.10 mm offset and says that's fine. The "
            "manufacturer's manual gives no numbers. Which tolerance table do you use for offset "
            "and angularity at this speed?",
            ("alignment", "couplings"),
            (
                "At {rpm} rpm we use the usual table: at 1,500 rpm, 0.07 mm offset and 0.07 mm per "
                '100 mm angularity is "excellent" and double that "acceptable". 0.10 mm is '
                "acceptable, not great for a machine you want to forget about.",
                "Ignore the coupling maker's tolerance: that's what the coupling survives, not "
                "what the bearings like. And do a soft-foot check first; half our alignment "
                "problems were a rocking foot.",
            ),
        ),
        QuestionTemplate(
            "[How do you set|Where do you set|Who sets] vibration alarm levels [on|for] {machine}?",
            "We have online sensors now and the default alarm is {vib} mm/s RMS on everything, "
            "which gives us either constant alarms or none at all. Do you use the ISO 10816 "
            "zones, a baseline plus a margin, or something else?",
            ("vibration", "condition-monitoring"),
            (
                "Baseline plus margin works better for us: four weeks of normal running, alert at "
                "2.5 times the baseline, danger at the ISO zone C/D boundary. Re-baseline after "
                "every overhaul.",
                "ISO 10816 is a sensible ceiling, but set alerts per machine class. A rigidly "
                "mounted machine should never reach {vib} mm/s before someone looks at it.",
                "Whatever you choose, make every alarm go to a named person. Alarms that go to a "
                "shared inbox get ignored within a month.",
            ),
        ),
        QuestionTemplate(
            "[Which flush plan do you run|Best seal flush plan] for {seal} seals on [hot "
            "water|condensate] service?",
            "Seal faces keep cracking on {pump} at around 95 °C. We're on plan 11 at the moment. "
            "Would plan 23 be worth the extra cooler, or is there a simpler fix?",
            ("seals", "pumps"),
            (
                "Plan 23 fixed exactly this for us. The cooler is small and the seal chamber stays "
                "around 60 °C. Put the vent at the highest point or it will vapour-lock on "
                "start-up.",
                "Before changing the plan, check the face materials. Carbon against silicon "
                "carbide in hot water is asking for trouble; SiC against SiC lasts much longer.",
            ),
        ),
        QuestionTemplate(
            "[Grease or oil bath|Oil bath or grease] for {machine} bearings after the "
            "[rebuild|overhaul]?",
            "The original design had an oil bath, but the last rebuild converted it to grease "
            "nipples. Operators prefer grease because it's less mess. Is there a good reason to "
            "go back to oil?",
            ("lubrication", "bearings"),
            (
                "Work out the speed factor (n times dm). Above roughly 300,000 grease life falls "
                "off a cliff and oil is the safer choice.",
                "Oil lets you take samples, which is worth a lot on a critical machine. We trend "
                "particle counts and water content every quarter.",
            ),
        ),
        QuestionTemplate(
            "[Is anyone using|Has anyone tried] ultrasound to guide greasing on {machine}?",
            "We bought two ultrasound instruments last year and they mostly sit in the cabinet. "
            "Has anyone made ultrasound-assisted greasing part of a routine?",
            ("ultrasound", "lubrication"),
            (
                "Yes, on all motor bearings at {site}. Grease slowly until the decibel reading "
                "drops and starts to rise again, then stop. We cut grease use by about a third.",
                "Start with a route of ten critical bearings and record the readings. Once people "
                "see the trend, it sells itself.",
            ),
        ),
        QuestionTemplate(
            "Repeated sheared bolts on the {coupling} coupling of {machine}: root cause ideas?",
            "Third time this year we've found sheared bolts. We replaced them with grade 10.9 and "
            "they still go. Has anyone seen this pattern?",
            ("couplings", "failure-analysis"),
            (
                "Sheared coupling bolts are almost always a symptom. Check for torsional "
                "resonance at start-up, especially if the drive is on a VFD with a fast ramp.",
                "Check the bolt fit. If they are clearance bolts in a design meant for fitted "
                "bolts, the torque goes through shear instead of friction.",
            ),
        ),
        QuestionTemplate(
            "What PM interval do you use for {pump} with {seal} seals?",
            "Our CMMS has a quarterly strip-down inspection that nobody has questioned for ten "
            "years. Mean time between failures is about 30 months. Is a fixed interval still the "
            "right approach?",
            ("preventive-maintenance", "pumps", "cmms"),
            (
                "With 30 months MTBF, a quarterly strip-down probably causes more failures than it "
                "finds. We replaced it with monthly vibration and temperature readings plus an "
                "annual check of the seal flush.",
                "Run a quick failure-mode review with the technicians. Most of the tasks in old "
                "PM routines don't map to any failure mode you actually see.",
            ),
        ),
    ),
    posts=(
        PostTemplate(
            "tip",
            "Tip: [mark your bolts|use a paint-pen line] after final torque",
            "A paint-pen line across nut, washer and flange after the final pass. On rounds you "
            "can spot a loose bolt from three metres away. It costs nothing and it's now standard "
            "on every flange we touch at {site}.",
        ),
        PostTemplate(
            "story",
            "How {site} cut [pump seal|bearing|coupling] failures by {percent}",
            "Over the last {period} we changed three things on our worst machines: a better "
            "flush plan, a start-up checklist for operators, and a photo of the correct setting "
            "at every machine. Failures dropped by {percent}. Happy to share the checklist.",
        ),
        PostTemplate(
            "story",
            "{site}: {machine} ran [a full year|18 months] without an unplanned stop",
            "Online vibration, oil analysis every quarter and one stubborn planner who refused to "
            "skip the alignment check after each intervention. Thanks to the crew on all shifts.",
        ),
        PostTemplate(
            "article",
            "[Five|Six] things I check before signing off an alignment job",
            "1. Soft foot, measured, not assumed.\n2. Pipe strain: loosen the flanges and watch "
            "the dial.\n3. Thermal growth targets from the OEM.\n4. The report shows as-found and "
            "as-left values.\n5. The shims are stainless and counted.\n\nWhat's on your list?",
        ),
        PostTemplate(
            "article",
            "Reading a vibration spectrum: the patterns worth knowing [first|by heart]",
            "1x running speed: unbalance. 2x with high axial: misalignment. Non-synchronous peaks "
            "with sidebands: bearing defects. A raised noise floor: looseness or cavitation. The "
            "article walks through one real spectrum from {site} for each.",
        ),
        PostTemplate(
            "announcement",
            "[{month} shutdown|Turnaround] lessons-learned session on {weekday}",
            "We're running a one-hour session on what went well and what didn't during the "
            "{month} shutdown. Bring one example each. Notes will be posted here afterwards.",
        ),
        PostTemplate(
            "announcement",
            "[Lubrication|Precision maintenance] course at {site} in {month}",
            "Two days, hands-on, run by our own specialists. Eight places per session; ask your "
            "supervisor to book you in.",
        ),
        PostTemplate(
            "tip",
            "Tip: [rotate the shafts of spare motors|store spare bearings flat]",
            "Bearings stored on edge and motors that sit still for months pick up false "
            "brinelling. We now turn every spare motor shaft a few times {interval}.",
        ),
    ),
    advice=(
        "Whatever you change, log it in the CMMS so the next person knows why.",
        "Take photos before you take it apart; they save arguments later.",
        "If it's a critical machine, get the OEM's field engineer to give a second opinion.",
        "Trend it for a few weeks before and after, otherwise you won't know what fixed it.",
    ),
    clarifications=(
        "What speed does it run at, and is it on a VFD?",
        "How old is the baseplate? Any signs of cracked grout?",
        "Which grease are you using now, and how much per shot?",
        "Do you have the vibration spectrum from before the last failure?",
        "Is this a standard pump or a special from the OEM?",
    ),
)


ELECTRICAL = Bank(
    slots={
        "motor": (
            "a 75 kW motor",
            "a 250 kW motor",
            "the 11 kW conveyor motors",
            "a 400 kW compressor motor",
        ),
        "drive": ("ABB ACS880", "Siemens G120", "Danfoss FC 302", "PowerFlex 755"),
        "instrument": (
            "the pressure transmitters",
            "the level radars",
            "the magnetic flowmeters",
            "the RTDs on the heat exchangers",
            "the pH probes",
        ),
        "panel": (
            "MCC-3",
            "the substation B switchboard",
            "the packaging line panel",
            "the boiler house MCC",
        ),
        "cable": ("35 mm²", "70 mm²", "120 mm²", "240 mm²"),
        "length": ("120 m", "150 m", "220 m"),
    },
    questions=(
        QuestionTemplate(
            "[Do you fit|Are you fitting] [output filters|dV/dt filters|output reactors] on "
            "{drive} drives with [long|{length}] motor cables?",
            "We're installing an {drive} feeding {motor} about {length} away. The manual mentions "
            "output filters above certain cable lengths but it's vague. What do you do in "
            "practice?",
            ("vfd", "motors", "power-quality"),
            (
                "Above roughly 100 m we fit a dV/dt filter as standard. A sine filter only if the "
                "motor is old and not inverter-rated.",
                "Check whether the motor insulation is rated for inverter duty (IEC 60034-25). If "
                "it is, a dV/dt filter is usually enough; if not, budget for a sine filter.",
                "Don't forget the bearings: with long cables we add a shaft grounding ring or an "
                "insulated non-drive-end bearing, otherwise you get fluting within a year.",
            ),
        ),
        QuestionTemplate(
            "[What calibration interval for|How often do you calibrate] {instrument} in "
            "[non-critical|monitoring-only] loops?",
            "We calibrate everything annually out of habit. For {instrument} that only feed "
            "trends, has anyone moved to a longer or condition-based interval?",
            ("calibration", "instrumentation"),
            (
                "We moved to risk-based intervals: safety loops yearly, monitoring loops every "
                "three years unless the as-found drift exceeds half the tolerance.",
                "Record as-found and as-left for two or three cycles; the data tells you the "
                "interval. Ours showed most transmitters barely drift.",
            ),
        ),
        QuestionTemplate(
            "[Insulation resistance|Megger reading] on {motor} dropped after the [wet "
            "season|shutdown]: rewind or dry out?",
            "Megger at 1 kV shows 8 MΩ, down from over 500 MΩ last year. Polarisation index is "
            "1.4. Do we send it for a rewind or try drying it in place first?",
            ("motors", "testing"),
            (
                "Dry it first. Anti-condensation heater on for 48 hours, or low-voltage DC "
                "injection if you have the kit, then test again.",
                "A PI of 1.4 is poor but not hopeless. If it recovers above 2 after drying, put it "
                "back in service and test again in a month.",
            ),
        ),
        QuestionTemplate(
            "[How are you labelling|Which labelling standard for] cables in {panel} after "
            "[modifications|a retrofit]?",
            "Every modification leaves a few hand-written labels behind and the drawings fall "
            "further behind. What labelling standard and process do you use?",
            ("documentation", "panels"),
            (
                "Heat-shrink sleeves printed straight from the cable schedule. If it's not in the "
                "schedule, it doesn't get a label, which forces the schedule to be updated.",
                "Make updating the as-built drawing part of closing the work order. The planner "
                "doesn't close it until the drawing revision is attached.",
            ),
        ),
        QuestionTemplate(
            "Who owns the arc flash [labels|study] [at your site|after changes to {panel}]?",
            "Our arc flash study is three years old and we've since added two feeders to "
            "{panel}. Engineering, maintenance or the contractor: who owns keeping it current?",
            ("arc-flash", "safety"),
            (
                "Engineering owns the study, maintenance owns the labels. Every change request "
                "that touches protection settings triggers a review.",
                "We re-run the study every five years or after any change to the short-circuit "
                "level, whichever comes first.",
            ),
        ),
        QuestionTemplate(
            "Voltage drop limit for {motor} on a {length} cable run?",
            "The designer picked {cable} copper and I get about 4.5% voltage drop at full load. "
            "Do you design motor circuits to 3% or 5%?",
            ("cable-sizing", "design"),
            (
                "We use 5% total from the origin for motor circuits, but check the starting case: "
                "a direct-on-line start at six times full-load current can drop far more.",
                "Include the grouping derating for the cable tray; that often pushes you up a "
                "size anyway.",
            ),
        ),
        QuestionTemplate(
            "[4-20 mA loop|Analogue input] [reading|dropping to] 3.6 mA now and then on "
            "{instrument}: [troubleshooting order|where to start]?",
            "The reading drops to 3.6 mA for a few seconds, a few times a day, then recovers. "
            "Nothing in the alarm log lines up with it. Where would you start?",
            ("instrumentation", "troubleshooting"),
            (
                "3.6 mA is usually the transmitter's own failure signal (NAMUR NE 43). Check its "
                "diagnostics before you chase the wiring.",
                "Check the shield is earthed at one end only, and look for a loose terminal in the "
                "junction box. Vibration plus a loose terminal gives exactly this pattern.",
            ),
        ),
        QuestionTemplate(
            "[Thermal imaging|Thermography] of {panel}: how often and at what load?",
            "We do an annual survey but always seem to pick a quiet week. What's your routine?",
            ("thermography", "inspection"),
            (
                "Quarterly, and only when the load is above 40%. Below that, a bad joint hardly "
                "shows.",
                "Record the load current with every image; a temperature rise means nothing "
                "without it.",
            ),
        ),
    ),
    posts=(
        PostTemplate(
            "tip",
            "Tip: [measure before you megger|disconnect the drive before any megger test]",
            "Check for voltage, then check the drive's DC bus is discharged, then disconnect the "
            "drive before any insulation test. We lost a drive at {site} learning that.",
        ),
        PostTemplate(
            "story",
            "{site} replaced [40|25|60] old motors with IE4 units: the numbers after a year",
            "Energy use on the affected drives fell by about {percent} more than predicted, "
            "mostly because the old motors were oversized. Payback is under three years. The "
            "spreadsheet we used to pick candidates is attached to the project page.",
        ),
        PostTemplate(
            "story",
            "How {site} got calibration overdue items to zero",
            "We moved to risk-based intervals and gave each technician a weekly list instead of "
            "a monthly backlog. It took {period}; the overdue list has stayed empty since.",
        ),
        PostTemplate(
            "announcement",
            "Electrical safety refresher training [dates|in {month}]",
            "Refresher sessions run every {weekday} in {month}. Book through the learning "
            "portal; it's mandatory for anyone with an authorisation expiring this year.",
        ),
        PostTemplate(
            "article",
            "What a polarisation index [really tells you|can and cannot tell you]",
            "The PI is the ratio of insulation resistance at 10 minutes to 1 minute. It says "
            "more about moisture and contamination than the absolute value does. A few worked "
            "examples from our motor tests below.",
        ),
        PostTemplate(
            "article",
            "[Drive parameter backups|Keeping PLC code under control]: what we learned",
            "After a drive failure at {site} nobody could find the parameter set. Now every "
            "drive and PLC program is backed up after each change, named by tag number, and "
            "checked in a quarterly audit.",
        ),
    ),
    advice=(
        "Always prove dead before you touch anything, even on a 24 V loop.",
        "Update the drawings the same day; nobody remembers a week later.",
        "Log the as-found values, not only what you left it at.",
        "If in doubt, ask your site's electrical authority before changing protection settings.",
    ),
    clarifications=(
        "Is the cable screened, and where is the screen earthed?",
        "What does the drive's fault log say around those times?",
        "Which firmware version is the transmitter on?",
        "Is the motor inverter-duty rated?",
    ),
)


DATA = Bank(
    slots={
        "tool": ("Power BI", "Python", "SQL", "Power Query", "pandas"),
        "source": ("the historian", "SAP PM", "the MES", "the LIMS", "the CMMS export"),
        "metric": ("OEE", "MTBF", "first-pass yield", "energy per tonne", "schedule compliance"),
        "volume": ("2 million rows", "40 million rows", "six years of hourly data"),
        "bi": ("Power BI", "Tableau", "the reporting portal"),
        "records": (
            "SAP PM work orders",
            "MES batch records",
            "LIMS samples",
            "CMMS work orders",
        ),
    },
    questions=(
        QuestionTemplate(
            "How do you calculate {metric} when {source} has gaps?",
            "We're building a dashboard for {metric} from {source}, but about 5% of shifts have "
            "missing records. Do you interpolate, exclude the shift, or flag it?",
            ("data-quality", "kpi"),
            (
                "Exclude and flag. Interpolating a KPI hides the very problem you want people to "
                "fix, and someone will eventually make a decision on invented numbers.",
                'Show the coverage next to the metric ("based on 95% of shifts"). People trust a '
                "number more when they can see its limits.",
            ),
        ),
        QuestionTemplate(
            "Best way to pull {volume} from {source} into {tool} without timeouts?",
            "Our refresh keeps failing overnight. We pull everything and filter afterwards, "
            "which I suspect is the problem. How do you structure it?",
            ("data-engineering", "performance"),
            (
                "Don't pull raw data; aggregate at the source. Most reports only need hourly or "
                "shift-level values.",
                "Incremental refresh partitioned by date. Only the last few days get reloaded "
                "each night.",
                "We land extracts as Parquet files in a staging folder, then read those. It "
                "decouples the report from the source system's moods.",
            ),
        ),
        QuestionTemplate(
            "[Anyone forecasting|Has anyone tried forecasting] [spare parts|consumables] demand "
            "with [intermittent-demand methods|Croston's method|something better than a moving "
            "average]?",
            "Most of our parts have lots of zero months and a moving average is useless. Has "
            "anyone tried Croston or similar in {tool}?",
            ("forecasting", "spare-parts"),
            (
                "Croston (or the SBA correction) beats a moving average for parts with many zero "
                "months. Compare them on a hold-out year before you switch.",
                "For the very slow movers, forecasting is the wrong question: set the stock by the "
                "cost of a stock-out and the lead time instead.",
            ),
        ),
        QuestionTemplate(
            "How do you get [operators|shift leads|planners] to trust the {metric} dashboard?",
            "We launched the {metric} dashboard at {site} and the shift leads still keep their own "
            "spreadsheets. How did you win people over?",
            ("dashboards", "adoption"),
            (
                "Build it with them, not for them. We sat with one shift lead for a week and "
                "copied the logic of her spreadsheet first.",
                "Make every number clickable down to the raw records. Trust comes from being able "
                "to check.",
            ),
        ),
        QuestionTemplate(
            "Row-level security in {bi} for [site-specific|department] reports?",
            "We want one {bi} report for all sites, but each site should only see its own data. Is "
            "row-level security worth the maintenance, or do you publish one report per site?",
            ("security", "reporting"),
            (
                "One report with row-level security, driven by a table of user-to-site mappings "
                "that HR data keeps current. Separate reports drift apart within months.",
                'Test it with the "view as" feature for every role before publishing; we leaked '
                "a site's numbers once by forgetting a relationship direction.",
            ),
        ),
        QuestionTemplate(
            "Which key do you use to join {records} to historian tags?",
            "Equipment numbers don't match tag names, and descriptions are free text. What's "
            "the least painful way to link them?",
            ("data-integration", "historian"),
            (
                "The functional location is the only stable key we found. We keep a mapping table "
                "owned by the reliability team.",
                "Start with the 50 most critical assets by hand. A complete automatic mapping "
                "never finishes.",
            ),
        ),
        QuestionTemplate(
            "[What's your rule|Is there a standard approach] for [removing|handling] outliers in "
            "[sensor|{source}] data?",
            "Our {metric} calculation is sensitive to spikes from {source}. Is there a standard "
            "approach you use?",
            ("statistics", "sensors"),
            (
                "Never remove silently. Apply physical limits first (a temperature of -273 °C is a "
                "sensor fault, not an outlier), then robust statistics like the median plus or "
                "minus five MADs.",
                "Keep the raw value and add a quality flag column. Filtering belongs in the "
                "report, not in the stored data.",
            ),
        ),
        QuestionTemplate(
            "[Version control|Keeping track of changes] for {tool} [reports|scripts|work]: how do "
            "you do it?",
            "Three of us edit the same files and we've overwritten each other twice this month.",
            ("governance", "version-control"),
            (
                "Put it in git. For Power BI, save in the project format so the files are text "
                "and diffs are readable.",
                "Agree on one owner per file and review changes in a short weekly call. The tool "
                "matters less than the habit.",
            ),
        ),
    ),
    posts=(
        PostTemplate(
            "tip",
            "Tip: use ISO week numbers in every report",
            "Half our confusion between {site} and the other sites came from different week "
            "numbering. ISO 8601 weeks everywhere, and label the year of the week too.",
        ),
        PostTemplate(
            "tip",
            "Tip: [put the metric definition on the chart|show data coverage next to KPIs]",
            "One line under the chart saying how the number is calculated and from which system "
            "ended three long arguments at {site} this quarter.",
        ),
        PostTemplate(
            "article",
            "[Three|Four] questions to ask before building a dashboard",
            "Who will look at it, and how often? What decision will it change? What will they "
            "do when the number is red? If you can't answer the third, build a report instead.",
        ),
        PostTemplate(
            "story",
            "How {site} found [energy savings|hidden downtime] in historian data",
            "A simple comparison of weekend data against production showed losses worth about "
            "{percent} of the budget line. The fix took {period}; the analysis took an afternoon.",
        ),
        PostTemplate(
            "story",
            "{metric} dashboard now live for all lines at {site}",
            "Built with the shift leads over {period}. Every number clicks through to the raw "
            "records in {source}. Feedback welcome.",
        ),
        PostTemplate(
            "announcement",
            "Analytics office hours every {weekday}",
            "Bring your spreadsheet, your query or your half-finished dashboard. One of us will "
            "be online from 14:00 to 15:00 every {weekday}.",
        ),
        PostTemplate(
            "announcement",
            "[Intro to SQL|Power BI basics|Python for engineers] course in {month}",
            "Four short sessions for engineers who want to work with plant data themselves. "
            "Sign up in the learning portal.",
        ),
    ),
    advice=(
        "Write down the definition of the metric next to the chart; it saves a lot of meetings.",
        "Keep the raw extract so you can reproduce any number later.",
        "Start small and get one real user before scaling it out.",
        "Check the time zones: our sites log in local time and it bites every report.",
    ),
    clarifications=(
        "How many rows are we talking about, roughly?",
        "Is the timestamp in local time or UTC?",
        "Who is the main audience for this?",
        "Can you share the query you're using now?",
    ),
)


QUALITY = Bank(
    slots={
        "part": (
            "the machined housings",
            "the welded frames",
            "the injection-moulded caps",
            "the sealing rings",
            "the pressed brackets",
        ),
        "characteristic": (
            "bore diameter",
            "flatness",
            "weld penetration",
            "wall thickness",
            "surface roughness",
        ),
        "gauge": (
            "a go/no-go gauge",
            "a digital micrometer",
            "the CMM",
            "an air gauge",
            "the vision system",
        ),
        "customer": ("an automotive customer", "our largest OEM customer", "a medical customer"),
    },
    questions=(
        QuestionTemplate(
            "Cpk of [0.9|1.1|1.2] on {characteristic} for {part}: improve the process or challenge "
            "the tolerance?",
            "The drawing tolerance was copied from an older part and nobody can explain it. The "
            "process is stable but not capable. Which way would you go first?",
            ("spc", "capability"),
            (
                "Check stability first, then ask design for the function behind the tolerance. We "
                "got three tolerances opened up once someone tested parts at the limits.",
                "Look at the measurement system before anything else: if gauge variation eats "
                "30% of the tolerance, your Cpk is understated.",
            ),
        ),
        QuestionTemplate(
            "Gauge R&R for {gauge}: how many [parts and operators|parts, operators and trials] do "
            "you really use?",
            "The textbook says 10 parts, 3 operators, 3 trials. On a line running three shifts "
            "that's hard to organise. What do you do in practice?",
            ("gauge-rr", "msa"),
            (
                "We do 10 parts, 3 operators, 2 trials, and pick parts that cover the whole "
                "tolerance range. The part selection matters more than the third trial.",
                "For attribute gauges, use an attribute agreement study instead, with at least 30 "
                "parts including borderline ones.",
            ),
        ),
        QuestionTemplate(
            "How do you keep [8D reports|8Ds for {customer}|corrective action reports] from "
            "turning into [paperwork|a box-ticking exercise]?",
            "Our 8Ds for {customer} get written after the fact to close the complaint. The root "
            "causes are weak and the same problems come back.",
            ("8d", "problem-solving"),
            (
                "Coach the team through D4 in person. A good 8D has the root cause verified by "
                "switching the failure on and off.",
                "We review every closed 8D three months later: did the problem come back? That "
                "one question changed how people write them.",
            ),
        ),
        QuestionTemplate(
            "[Sampling plan|How much to sample] for incoming inspection of {part} after a "
            "[supplier change|change at the supplier]?",
            "New supplier, first three deliveries. What sampling plan do you use until you trust "
            "them?",
            ("incoming-inspection", "supplier-quality"),
            (
                "Tightened inspection (ISO 2859-1, level II) for the first five lots, then normal "
                "if all pass.",
                "Ask for their capability data on the critical characteristics instead of "
                "inspecting quality in; then audit the process once.",
            ),
        ),
        QuestionTemplate(
            "[PFMEA|Process FMEA] for {part}: still using RPN, or [have you moved|did you switch] "
            "to action priority?",
            "Our customers are asking for the AIAG-VDA format. Was the switch worth it?",
            ("fmea", "risk"),
            (
                "Action priority stopped the gaming of RPN thresholds. It took a day of training "
                "per team, and the FMEAs got shorter.",
                "Convert the critical rows first; don't try to migrate the whole FMEA in one go.",
            ),
        ),
        QuestionTemplate(
            "Control chart for {characteristic} keeps [flagging|signalling]: is it the process or "
            "the chart?",
            "The X-bar chart on {part} signals almost every shift, but the parts are well inside "
            "tolerance. Operators are starting to ignore it.",
            ("spc", "control-charts"),
            (
                "Check how the limits were calculated. Limits computed from a short, quiet period "
                "flag everything later.",
                "If the within-subgroup variation is tiny compared to shift-to-shift, an "
                "individuals chart of subgroup means is more honest.",
            ),
        ),
        QuestionTemplate(
            "[Complaint|Field failure report] from {customer} about {part} that we can't "
            "reproduce: what next?",
            "They report cracked {part} in the field; our retained samples all pass. How do you "
            'handle it without just saying "no fault found"?',
            ("complaints", "customer-quality"),
            (
                "Ask for the failed parts and the conditions of use. Half our no-fault-found cases "
                "were handling damage at the customer.",
                "Test beyond the spec: temperature cycling or a drop test often reproduces what "
                "the standard test doesn't.",
            ),
        ),
        QuestionTemplate(
            "[Layered process audits|LPA cards]: how many questions before [people tune "
            "out|supervisors stop doing them]?",
            "Our audit card has 25 questions and takes 20 minutes. Completion is dropping.",
            ("auditing", "lpa"),
            (
                "We went down to 8 questions, rotated monthly, focused on recent complaints. "
                "Completion went back above 90%.",
                "Let the auditor fix small things on the spot and record it. People like audits "
                "that make things better.",
            ),
        ),
    ),
    posts=(
        PostTemplate(
            "tip",
            "Tip: write the reaction plan on the control chart itself",
            "If the chart signals, what does the operator do? At {site} the reaction plan is "
            "printed in the chart's margin. Our out-of-control handling time halved.",
        ),
        PostTemplate(
            "story",
            "{site}: scrap on {part} down from [4%|3%|6%] to [0.8%|1.1%]",
            "Over {period} we fixed a worn fixture, added {gauge} at the machine and trained two "
            "shifts in reading the chart. The full story and the data are in the quality library.",
        ),
        PostTemplate(
            "story",
            "Zero customer complaints from {customer} [this quarter|for six months]",
            "Credit to the team at {site}: containment discipline, better work instructions and "
            "a layered audit that people actually do.",
        ),
        PostTemplate(
            "article",
            "Why Cpk means nothing without a stable process",
            "Capability indices assume a stable, predictable process. If the chart shows special "
            "causes, fix those first. Otherwise the index is a snapshot of luck.",
        ),
        PostTemplate(
            "article",
            "[Attribute agreement studies|Measurement uncertainty] in plain words",
            "A short explainer with an example from {site}: what the study tells you about "
            "{characteristic} checks, and what it doesn't.",
        ),
    ),
    advice=(
        "Verify the measurement system before you trust any capability number.",
        "Involve the operators who run the process; they usually know the cause already.",
        "Write down what you changed and when, so you can see the effect on the chart.",
    ),
    clarifications=(
        "How was the gauge checked before the study?",
        "Is this on one machine or across several?",
        "What does the control chart look like over the last month?",
        "Does the customer have the same measurement method?",
    ),
    agenda_topics=(
        "gauge R&R for attribute gauges",
        "moving from RPN to action priority in PFMEA",
        "reaction plans operators actually follow",
        "supplier PPAP reviews",
        "layered process audits",
        "capability studies for short runs",
        "containment after a customer complaint",
        "visual standards for cosmetic defects",
        "measurement uncertainty on the CMM",
        "traceability of heat-treated parts",
        "8D coaching for team leaders",
        "sampling plans for incoming inspection",
        "digital checklists on the shop floor",
        "control plan reviews",
        "error-proofing ideas from the lines",
        "warranty data analysis",
        "getting ready for the ISO 9001 surveillance audit",
        "reporting the cost of poor quality",
        "first article inspection records",
        "handling deviations and concessions",
    ),
)


SAFETY = Bank(
    slots={
        "area": (
            "the tank farm",
            "the packaging hall",
            "the warehouse",
            "the boiler house",
            "the loading bay",
            "the workshop",
        ),
        "task": (
            "changing a filter",
            "clearing a jam",
            "taking a sample",
            "lifting a pump motor",
            "working from a ladder",
            "cleaning a tank",
        ),
        "vehicle": ("a forklift", "a pallet truck", "an overhead crane", "a scissor lift"),
    },
    questions=(
        QuestionTemplate(
            "Near miss: {vehicle} reversed into a pedestrian walkway in {area}. How did you "
            "separate traffic?",
            "Nobody was hurt, but it was close. Painted lines clearly aren't enough. What "
            "physical separation has worked at your sites?",
            ("traffic", "near-miss"),
            (
                "Barriers, not paint. We installed flexible polymer barriers along every walkway "
                "and gated crossings where people must stop and look.",
                "Blue spot lights on the forklifts helped at {site}: people see the truck coming "
                "before they hear it.",
                "We also re-planned the route so trucks never reverse across a walkway. The "
                "design fix beat every warning sign.",
            ),
        ),
        QuestionTemplate(
            "[Lockout|Isolation] on [equipment|a machine] with [two|several] energy sources in "
            "{area}: how do you verify zero energy?",
            "While {task} in {area} a technician found the pneumatic supply still live after "
            "the electrical isolation. Our procedure only lists the main isolator.",
            ("lockout-tagout", "isolation"),
            (
                "Every machine gets an isolation sheet with a photo of each energy point: "
                "electrical, pneumatic, hydraulic, gravity, stored pressure. Try-start and gauge "
                "check before work starts.",
                "Walk the procedure with the people who do the job. Ours missed a second air "
                "supply for years because nobody who wrote it had ever opened that panel.",
            ),
        ),
        QuestionTemplate(
            "Who signs off [the permit to work|hot work permits] in {area} [when the area owner "
            "is on nights|at weekends]?",
            "Jobs in {area} get delayed for hours because only day-shift supervisors can sign. "
            "How do you keep control without the delays?",
            ("permit-to-work",),
            (
                "We trained the night shift leads as area authorities for routine permits. "
                "Non-routine work still waits for day shift.",
                "Prepare the permit during the day and have nights only validate the conditions "
                "on site. It cut our waits to minutes.",
            ),
        ),
        QuestionTemplate(
            '[Investigation|Incident review] stops at "operator error" again: how do you push '
            "further?",
            'Our last three reviews all ended with "the operator did not follow the procedure" '
            "and retraining. Nothing changes.",
            ("investigation", "human-factors"),
            (
                'Ask "what made sense to them at the time?". If the procedure couldn\'t be '
                "followed on that shift with those tools, that's your cause.",
                'Ban "retraining" as the only action. Every review must include at least one '
                "change to the equipment, the task or the procedure.",
            ),
        ),
        QuestionTemplate(
            "How soon after [an incident|a serious near miss] do you hold the [review|learning "
            "conversation]?",
            "We wait for the formal report, which takes two or three weeks. By then people "
            "remember less and the area has changed.",
            ("investigation", "learning"),
            (
                "A short learning conversation within 48 hours, formal report later. The early "
                "conversation catches details that are gone after a week.",
                "Photos and a timeline on day one, by whoever is first on the scene. We keep a "
                "one-page template in every supervisor's office.",
            ),
        ),
        QuestionTemplate(
            "Confined space rescue plan for {area}: is the local fire brigade enough?",
            "The brigade says they can reach us in 15 minutes. Our risk assessment assumed an "
            "on-site team.",
            ("confined-space", "emergency-response"),
            (
                "Fifteen minutes is too long for most rescue scenarios. We keep a trained rescue "
                "team and equipment at the entry point for every entry.",
                "Run a drill with the brigade. Ours took 35 minutes from the call to the first "
                "person at the manhole.",
            ),
        ),
        QuestionTemplate(
            "Should near misses during {task} be reportable anonymously?",
            "Reporting has dropped since last year's disciplinary case. Would an anonymous "
            "channel help or hide the details we need?",
            ("reporting", "culture"),
            (
                "We allow anonymous reports but follow up every named one with a thank-you from "
                "the site manager. Named reports went up once people saw nothing bad happened.",
                "Publish what changed because of reports. People report when they see reports "
                "lead somewhere.",
            ),
        ),
    ),
    posts=(
        PostTemplate(
            "story",
            "Incident review: [hand injury|near miss|minor burn] while {task} in {area}",
            "Summary of the review held on {weekday}. The guard had been removed for cleaning "
            "and the interlock was bypassed with a cable tie. Actions: interlock redesigned, "
            "cleaning task rewritten with the team. Full report attached for members only.",
        ),
        PostTemplate(
            "story",
            "Near-miss review: {vehicle} in {area}",
            "No injuries. The driver's view was blocked by a stacked load and the walkway ended "
            "at a blind corner. Actions: mirror installed, stacking height limited, route "
            "changed. We'd welcome a second pair of eyes on the actions.",
        ),
        PostTemplate(
            "announcement",
            "Quarterly incident trend review on {weekday}",
            "We'll go through the quarter's incidents and near misses across all sites, with a "
            "focus on {area}. Please bring one learning from your site.",
        ),
        PostTemplate(
            "tip",
            'Tip: ask "what made sense at the time?"',
            "Open every interview with that question. It moves the conversation from blame to "
            "conditions, and people tell you much more.",
        ),
        PostTemplate(
            "article",
            "Learning teams: what we tried at {site}",
            "Instead of a classic investigation, we brought the crew together three times over "
            "two weeks to talk about how work really gets done in {area}. Five changes came out "
            'of it, none of them "retrain the operator".',
        ),
    ),
    advice=(
        "Whatever you decide, involve the people who do the task.",
        "Share the outcome with the crew, not only the management report.",
        "Check that the fix doesn't create a new hazard somewhere else.",
    ),
    clarifications=(
        "Was there a permit for that job?",
        "Which shift was it, and how long had the crew been on?",
        "Do you have the task risk assessment we could look at?",
        "Was the procedure available at the workplace?",
    ),
)


IT = Bank(
    slots={
        "system": (
            "SAP",
            "the CMMS",
            "e-mail",
            "the VPN",
            "SharePoint",
            "the document management system",
        ),
        "project": (
            "self-service password reset",
            "the Teams phone rollout",
            "the new service portal",
            "the laptop refresh",
            "the move to SharePoint",
        ),
    },
    questions=(
        QuestionTemplate(
            "Can I get a [second monitor|docking station|proper headset] for home working?",
            "I'm based in {site} and split my week between the office and home. Is there a "
            "standard request for this?",
            ("hardware", "home-working"),
            (
                'Yes: raise a standard hardware request in the portal under "Peripherals". Your '
                "manager approves it and delivery takes about two weeks.",
                "Check the office first; there's often a spare monitor in the IT cupboard at "
                "{site}.",
            ),
        ),
        QuestionTemplate(
            "Can I install [Python|R|Git] on my laptop without admin rights?",
            "I'd like to automate a few reports. The software centre only has an old version.",
            ("software", "python"),
            (
                'Request the "developer tools" package in the software centre. It includes a '
                "current Python and VS Code, approved by security.",
                "The portable version works without admin rights, but raise a request anyway so "
                "it gets patched.",
            ),
        ),
        QuestionTemplate(
            "How do I get access to the [shared engineering drive|quality SharePoint site|project "
            "folders] from {site}?",
            "I was moved to a new team and can't open the engineering folders.",
            ("access",),
            (
                "Access is granted by the folder owner. Open an access request and pick the "
                "engineering share; it routes to the right person automatically.",
            ),
        ),
        QuestionTemplate(
            "The VPN drops every [30 minutes|hour|few minutes]: anyone else?",
            "Since the last update my connection drops regularly when working from home.",
            ("vpn", "network"),
            (
                "Known issue with the older client. Update from the software centre; the new one "
                "fixed it for our team.",
                "Check the power settings on your Wi-Fi adapter; turning off power saving fixed "
                "it for me.",
            ),
        ),
    ),
    posts=(
        PostTemplate(
            "announcement",
            "Planned maintenance: {system} unavailable on {weekday} evening",
            "{system} will be unavailable from 19:00 to 23:00 CET on {weekday} for an upgrade. "
            "Please save your work beforehand. Questions to the service desk.",
        ),
        PostTemplate(
            "announcement",
            "New laptops rolling out to {site} in {month}",
            "Every laptop older than four years will be replaced in {month}. You'll get an "
            "invitation to book a swap slot; it takes about 30 minutes.",
        ),
        PostTemplate(
            "announcement",
            "Reminder: phishing simulation [this month|in {month}]",
            "Expect a simulated phishing e-mail in the coming weeks. If you spot it, use the "
            '"Report phishing" button. That\'s all.',
        ),
        PostTemplate(
            "announcement",
            "Password policy changes from {month}",
            "From {month}, passwords need at least 14 characters and no longer expire every 90 "
            "days. Multi-factor authentication stays mandatory.",
        ),
        PostTemplate(
            "announcement",
            "[Wi-Fi upgrade|New meeting-room screens|New printers] live at {site}",
            "The work finished on {weekday}. If anything doesn't work as expected, raise a ticket "
            "and mention the room or floor.",
        ),
        PostTemplate(
            "story",
            "[Our service desk|The {site} service desk] reached {percent} more "
            "first-contact resolutions",
            "Proud of the team! Over the last {period} we rebuilt the knowledge base and the "
            "first-line team now solves far more calls without escalation. Thank you all.",
        ),
        PostTemplate(
            "story",
            "[The IT team|Our {site} IT team] won [the group innovation award|a "
            "customer service award] for {project}",
            "We're delighted to share that {project} won an award this year. Great work by "
            "everyone involved, and thanks to the business for the nomination!",
        ),
        PostTemplate(
            "story",
            "My [talk|panel session] at the [regional IT leaders' conference|{site} tech "
            "meetup] (slides inside)",
            "Last {weekday} I spoke about {project} and our move to cloud collaboration. The "
            "slides are on my profile page. Feedback welcome!",
        ),
        PostTemplate(
            "story",
            "Proud to share: {project} finished [ahead of plan|on budget] at {site}",
            "Another milestone for the workplace technology team. Thanks to the {site} users "
            "who tested with us.",
        ),
        PostTemplate(
            "article",
            "[Ten|Eight] keyboard shortcuts that save you an hour a week",
            "Win+Shift+S for screenshots, Win+V for clipboard history, Ctrl+Shift+T to reopen a "
            "closed tab, and more in the full article.",
        ),
        PostTemplate(
            "article",
            "Why {site} is moving file shares to SharePoint in {month}",
            "Version history, sharing links instead of attachments, and access from anywhere. "
            "This article explains the plan and the timeline.",
        ),
        PostTemplate(
            "tip",
            "Tip: [share links, not attachments|restart your laptop once a week|report "
            "phishing with one click]",
            "Small habit, fewer tickets. The service desk's top five tips are pinned in the "
            "portal.",
        ),
    ),
    advice=(
        "If it's urgent, call the service desk rather than e-mailing.",
        "Check the status page first; it lists known incidents.",
    ),
    clarifications=(
        "Which version of the client are you on?",
        "Are you on the office network or at home?",
    ),
)


SUPPLY = Bank(
    slots={
        "region": ("Europe", "South America", "Southeast Asia", "North America"),
        "item": ("bearings", "mechanical seals", "filters", "V-belts", "pressure transmitters"),
        "initiative": (
            "spares pooling",
            "vendor-managed inventory",
            "part number clean-up",
            "consignment stock",
        ),
    },
    questions=(
        QuestionTemplate(
            "How do you set min/max for slow-moving [spares|{item}]?",
            "Some of our {item} move once a year, but a stock-out stops a line. Our MRP treats "
            "them like consumables.",
            ("inventory", "spare-parts"),
            (
                "Set them by criticality and lead time, not by consumption. A Poisson-based "
                "reorder point works well for parts used a few times a year.",
                "Agree a criticality list with maintenance first; otherwise every part is "
                "critical.",
            ),
        ),
        QuestionTemplate(
            "[Who approves|Who signs] write-offs of obsolete [stock|{item}] at your site?",
            "We have parts for equipment that was scrapped years ago, and nobody wants to sign.",
            ("inventory", "obsolescence"),
            (
                "Finance and the maintenance manager jointly, once a year, from a list the "
                "storeroom prepares. A fixed date makes it happen.",
            ),
        ),
        QuestionTemplate(
            "Is anyone using consignment stock for {item}?",
            "Our supplier offered consignment in {region}. What should we watch out for?",
            ("vendor-management", "consignment"),
            (
                "Check who pays for obsolete items at the end of the contract, and how often "
                "the supplier counts.",
                "It worked well for fast movers at {site}; for slow movers the supplier loses "
                "interest quickly.",
            ),
        ),
        QuestionTemplate(
            "How often do you cycle count [C items|slow movers]?",
            "We count A items monthly and B quarterly. C items only at year end.",
            ("cycle-counting", "warehousing"),
            (
                "Once a year is fine for C items, provided location accuracy is good. Count by "
                "location, not by item.",
            ),
        ),
    ),
    posts=(
        PostTemplate(
            "story",
            "How the {site} warehouse cut [inventory|{item} stock] by {percent}",
            "Over {period} we cleaned up duplicate part numbers and reset min/max levels for "
            "{item}. Proud of the team for pulling this off alongside the daily work!",
        ),
        PostTemplate(
            "story",
            "[Year-end|Quarterly] cycle count at {site} finished with [98.9|99.2|99.5]% accuracy",
            "Huge thanks to the storeroom team at {site}. Best result in five years.",
        ),
        PostTemplate(
            "story",
            "Our team presented the {initiative} [pilot|project] to [the board|the "
            "leadership team]",
            "Great feedback from leadership on {initiative} across sites in {region}. More news "
            "soon!",
        ),
        PostTemplate(
            "story",
            "Proud to share: {site} won the [supplier day|logistics excellence] award",
            "Recognition for the whole team and our partners in {region}. Thank you all!",
        ),
        PostTemplate(
            "announcement",
            "[New supplier portal|E-invoicing] goes live for {region} in {month}",
            "All purchase orders for {region} will go through the new process from {month}. "
            "Training sessions are every {weekday}.",
        ),
        PostTemplate(
            "announcement",
            "[Year-end|Half-year] stock count schedule for {site}",
            "Stores will be closed for the count on the last {weekday} of the period. Plan your "
            "withdrawals ahead.",
        ),
        PostTemplate(
            "announcement",
            "Freight forwarder change for {region} from {month}",
            "From {month} a new forwarder handles inbound freight for {region}. Lead times stay "
            "the same; tracking links change.",
        ),
        PostTemplate(
            "article",
            "ABC-XYZ classification explained",
            "ABC ranks items by value, XYZ by how predictable their demand is. Together they "
            "tell you where a forecast helps and where only safety stock will.",
        ),
        PostTemplate(
            "article",
            "Read my article on {initiative} in [the company newsletter|this month's "
            "supply chain bulletin]",
            "I wrote about our experience with {initiative} for {item}. Let me know what you "
            "think!",
        ),
        PostTemplate(
            "tip",
            "Tip: [check open purchase orders before raising a new one|photograph every "
            "bin location before the count]",
            "A minute of checking for {item} avoids duplicates and recounts, which cost us a lot "
            "last year.",
        ),
    ),
    advice=(
        "Look at the lead time from the supplier's real deliveries, not the catalogue.",
        "Involve maintenance in any change to critical spares.",
    ),
    clarifications=(
        "What's the supplier's lead time, really?",
        "Which plant does this concern?",
    ),
)


LEAN = Bank(
    slots={
        "line": ("the packaging line", "line 4", "the bottling line", "the press shop"),
    },
    questions=(
        QuestionTemplate(
            "How do you sustain 5S [after the first audit|on {line}]?",
            "Our 5S on {line} looked great for a month, then slowly slid back.",
            ("5s", "sustainment"),
            (
                "Put the 5S check into the shift handover, two minutes, not a separate audit. "
                "It became routine within a month.",
                "The area team owns the standard. When managers own it, it slides as soon as "
                "they stop looking.",
            ),
        ),
        QuestionTemplate(
            "SMED on {line}: where do you start?",
            "Changeovers take 90 minutes and we'd like to halve that.",
            ("smed", "changeover"),
            (
                "Film one changeover and watch it with the crew. Separate internal from external "
                "steps; that alone often saves a third.",
                "Prepare a changeover cart with every tool and part in a fixed place.",
            ),
        ),
        QuestionTemplate(
            "Value stream map of {line}: paper or software?",
            "We're mapping {line} next month. Is a tool worth it?",
            ("vsm",),
            ("Paper on the wall, drawn by the team. Digitise afterwards if you must.",),
        ),
        QuestionTemplate(
            "How long should a kaizen [event|week] be?",
            "We've done five-day events but production struggles to release people.",
            ("kaizen",),
            (
                "Three half-days spread over a week worked better for us than a full week.",
                "Scope it smaller: one problem, one area, one measurable target.",
            ),
        ),
    ),
    posts=(
        PostTemplate(
            "story",
            "Kaizen [week|event] results from {site}",
            "The team on {line} cut changeover time by {percent}. Thanks to everyone who took "
            "part!",
        ),
        PostTemplate(
            "announcement",
            "Lean fundamentals training in {month}",
            "Two-day course for team leaders, every {weekday} in {month}. Sign up through your "
            "manager.",
        ),
        PostTemplate(
            "tip",
            "Tip: film the changeover",
            "A phone video of one changeover shows more waste than a week of discussion.",
        ),
        PostTemplate(
            "article",
            "What we learned from our first value stream map of {line}",
            "Most of the lead time on {line} was waiting between steps, not the steps "
            "themselves. The map made that obvious to everyone.",
        ),
    ),
    advice=("Go and see before you decide.",),
    clarifications=("How many people are on that line per shift?",),
)


BANKS: Mapping[str, Bank] = {
    "mechanical": MECHANICAL,
    "electrical": ELECTRICAL,
    "data": DATA,
    "quality": QUALITY,
    "safety": SAFETY,
    "it": IT,
    "supply": SUPPLY,
    "lean": LEAN,
}

AGENDA_POST_TITLE = "Topic of the month: {topic}"
AGENDA_POST_BODY = (
    "This month's agenda topic is **{topic}**.\n\n"
    "- Post your questions and examples here during the month.\n"
    "- We meet for a 45-minute working session on the last {weekday}.\n"
    "- The outcome goes into the best-practice library, with everyone who contributed named.\n\n"
    "Suggestions for next month's topic are welcome in the comments."
)


# --- the relationship steps and the agenda (together.py) -----------------------------------------

GATHERING_TITLES: Mapping[str, tuple[str, ...]] = {
    "coffee": ("Virtual coffee: meet the {practice} people", "Coffee chat for newcomers"),
    "meetup": ("{practice} meetup at {site}", "Quarterly {practice} get-together"),
    "working_session": ("Working session: {topic}", "Sit together: bring your {topic} examples"),
    "webinar": ("Webinar: what changed in {practice} this quarter", "Lunch & learn: {topic}"),
}
GATHERING_NOTES: tuple[str, ...] = (
    "Thanks all for coming. We went round the table on {topic}; slides and the examples people "
    "brought are linked below. Next time: follow-ups from today.",
    "Good turnout. Three sites shared how they handle {topic}; we agreed to collect the "
    "differences in one place before the next session.",
    "Notes: short intros, then two examples on {topic}. Several people offered to pair up on the "
    "open questions.",
)
PROPOSAL_TITLES: tuple[str, ...] = (
    "Adopt one checklist for {topic} across sites",
    "Move our monthly session to the first Tuesday",
    "Start a shared example library for {topic}",
    "Ask each site to name a contact for {topic}",
    "Pilot a buddy system for people new to {practice}",
)
PROPOSAL_BODY = (
    "After the last session several of us found we do {topic} differently at each site. I propose "
    "we agree one way and try it for three months. Agree, abstain, or say what worries you."
)
STANCE_REASONS: Mapping[str, tuple[str, ...]] = {
    "agree": ("Makes sense, we struggled with this at {site}.", "", "Happy to try it."),
    "abstain": ("No strong view; we rarely hit this at {site}.", ""),
    "disagree": ("Worried about the extra paperwork at smaller sites.",),
}
OUTCOMES: tuple[str, ...] = (
    "Agreed: we try it for three months and review at the working session. Owners below.",
    "Agreed with one change: smaller sites may keep their own form if it covers the same points.",
)
ACTION_TITLES: tuple[str, ...] = (
    "Draft the first version for {topic}",
    "Collect examples from every site",
    "Book the room and the call for the review session",
    "Share the outcome in the next newsletter",
)
KUDOS_REASONS: tuple[str, ...] = (
    "Thanks for walking me through {topic} on a Friday afternoon. Saved us a shutdown day.",
    "Your answer on {topic} was exactly what the team at {site} needed.",
    "For organising the session and keeping the notes: great job.",
    "You picked up the action item nobody wanted and finished it early. Thank you!",
)
HELP_TITLES: tuple[str, ...] = (
    "Need examples of {topic} from other sites by Friday",
    "Input wanted: review my draft procedure on {topic}",
    "Looking for data on {topic} for a management review",
)
HELP_BODY = (
    "I am putting together a short note on {topic} for our site leadership. Could you share one "
    "example from your site (what you did, what happened)? A few lines each is plenty."
)
HELP_CONTRIBUTIONS: tuple[str, ...] = (
    "At {site} we started with the highest-volume part numbers and reviewed them weekly; it took "
    "two months before the numbers moved.",
    "Here is the template we use at {site}; the second tab has last year's results.",
    "We tried this and stopped: the data was not good enough. Fix the master data first.",
)
TOPIC_WHY = (
    "Several questions this quarter came back to {topic}; a shared best practice would help."
)
PRACTICE_SECTIONS: tuple[str, ...] = (
    "## Why it matters\n\n{topic} affects cost and lead time at every site.\n",
    "## How we do it\n\n1. Agree the scope.\n2. Measure the current state.\n3. Review weekly.\n",
    "## Examples from sites\n\n- {site}: started with the top 20 items and doubled turns.\n",
    "## Pitfalls\n\n- Do not start before the data is clean.\n- Name one owner per site.\n",
)
