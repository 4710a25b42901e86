"""Write the connectors benchmark's data: a Stack Exchange dump and a mailing-list mbox.

Streamed and seeded, so a rerun with the same parameters writes the same files (bench/connectors.py
reuses them). Kept apart from the measuring and the report: it needs nothing from Cultivate.
"""

from __future__ import annotations

import random
from collections import deque
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

START = datetime(2016, 8, 2, 15, 0, tzinfo=UTC)

_VOCABULARY = (
    "model network training data layer gradient loss function neural weights bias input output "
    "learning rate batch epoch dropout convolution kernel feature map activation sigmoid relu "
    "softmax classifier regression agent reward policy state action environment search tree "
    "heuristic planning logic knowledge representation inference probability bayesian prior "
    "posterior sample distribution variance mean error accuracy precision recall overfitting "
    "validation test set benchmark paper result experiment hyperparameter optimizer adam momentum "
    "the a an of to in and or but with without for on at by from into over under between "
    "is are was were be been being have has had do does did can could should would may might "
    "why how what when which where who because therefore however although since unless "
    "example problem question answer idea approach method algorithm system human machine "
    "intelligence language vision robot game chess go memory attention transformer sequence "
    "vector matrix tensor dimension space embedding token word sentence image pixel label class"
)
WORDS = _VOCABULARY.split()


# --- generating the data (streamed, seeded) ------------------------------------------------------


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 22))
    return " ".join(words).capitalize() + rng.choice((".", ".", ".", "?", "!"))


def _paragraph_pool(rng: random.Random, n: int = 4000) -> list[str]:
    """Return HTML paragraphs as post bodies hold them: text, the odd code block, list or link."""
    pool = []
    for i in range(n):
        kind = i % 10
        if kind == 0:
            code = "\n".join(
                f"    {rng.choice(WORDS)} = {rng.choice(WORDS)}({rng.randint(0, 99)})"
                for _ in range(rng.randint(2, 8))
            )
            pool.append(f"<pre><code>{code}\n</code></pre>\n")
        elif kind == 1:
            items = "".join(f"<li>{_sentence(rng)}</li>\n" for _ in range(rng.randint(2, 5)))
            pool.append(f"<ul>\n{items}</ul>\n")
        elif kind == 2:
            pool.append(
                f'<p>{_sentence(rng)} See <a href="https://example.org/{rng.choice(WORDS)}/'
                f'{i}" rel="nofollow noreferrer">{rng.choice(WORDS)}</a>.</p>\n'
            )
        else:
            text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 6)))
            pool.append(f"<p>{text}</p>\n")
    return pool


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}"


def _owner(rng: random.Random, users: int) -> int:
    """Return a user id with a long tail: a few people write most posts, as on real sites."""
    return min(users, int(rng.paretovariate(1.1))) if rng.random() < 0.5 else rng.randint(1, users)


def write_stackexchange(folder: Path, *, posts_bytes: int, seed: int) -> dict[str, Any]:
    """Write Posts, Users, Comments and Votes.xml of one site until Posts.xml holds posts_bytes."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    pool = _paragraph_pool(rng)
    tags = [f"{a}-{b}" for a in WORDS[:40] for b in WORDS[40:60]]
    users = max(1000, posts_bytes // 8000)
    at = START
    counts = {"questions": 0, "answers": 0, "comments": 0, "votes": 0, "users": users}
    recent: deque[tuple[int, int]] = deque(maxlen=4000)  # (question id, owner)
    post_id = comment_id = vote_id = 0
    header = '\ufeff<?xml version="1.0" encoding="utf-8"?>\n'
    with (
        (folder / "Posts.xml").open("w", encoding="utf-8") as posts,
        (folder / "Comments.xml").open("w", encoding="utf-8") as comments,
        (folder / "Votes.xml").open("w", encoding="utf-8") as votes,
    ):
        posts.write(header + "<posts>\n")
        comments.write(header + "<comments>\n")
        votes.write(header + "<votes>\n")
        while posts.tell() < posts_bytes:
            # Plan a chunk in memory so a question can name its accepted answer before it.
            chunk: list[dict[str, Any]] = []
            open_questions: dict[int, list[int]] = {}
            for _ in range(500):
                post_id += 1
                at += timedelta(seconds=rng.expovariate(1 / 90))
                owner = _owner(rng, users)
                if not recent or rng.random() < 0.4:
                    chunk.append({"id": post_id, "type": 1, "owner": owner, "at": at})
                    recent.append((post_id, owner))
                    open_questions[post_id] = []
                else:
                    parent = recent[-1 - min(len(recent) - 1, int(rng.expovariate(1 / 200)))]
                    chunk.append(
                        {"id": post_id, "type": 2, "owner": owner, "at": at, "parent": parent[0]}
                    )
                    if parent[0] in open_questions:
                        open_questions[parent[0]].append(post_id)
            accepted = {
                q: rng.choice(answers)
                for q, answers in open_questions.items()
                if answers and rng.random() < 0.55
            }
            for row in chunk:
                body = "".join(rng.choices(pool, k=max(1, int(rng.lognormvariate(0.6, 0.7)))))
                attrs = [
                    f'Id="{row["id"]}"',
                    f'PostTypeId="{row["type"]}"',
                ]
                if row["id"] in accepted:
                    attrs.append(f'AcceptedAnswerId="{accepted[row["id"]]}"')
                if row["type"] == 2:
                    attrs.append(f'ParentId="{row["parent"]}"')
                score = int(rng.gauss(2, 4))
                attrs += [f'CreationDate="{_stamp(row["at"])}"', f'Score="{score}"']
                if row["type"] == 1:
                    attrs.append(f'ViewCount="{int(rng.lognormvariate(4, 1.2))}"')
                attrs.append(f"Body={quoteattr(body)}")
                if rng.random() < 0.02:
                    attrs.append("OwnerDisplayName=" + quoteattr(f"user{row['owner']}"))
                else:
                    attrs.append(f'OwnerUserId="{row["owner"]}"')
                last = row["at"] + timedelta(hours=rng.expovariate(1 / 30))
                attrs.append(f'LastActivityDate="{_stamp(last)}"')
                if row["type"] == 1:
                    title = _sentence(rng).rstrip(".!") + "?"
                    chosen = rng.sample(tags, k=rng.randint(1, 5))
                    attrs.append(f"Title={quoteattr(title)}")
                    attrs.append(f"Tags={quoteattr(''.join(f'<{t}>' for t in chosen))}")
                    attrs.append(f'AnswerCount="{len(open_questions.get(row["id"], []))}"')
                    counts["questions"] += 1
                    if rng.random() < 0.05:
                        attrs.append(f'ClosedDate="{_stamp(last)}"')
                else:
                    counts["answers"] += 1
                n_comments = min(8, int(rng.expovariate(1 / 0.9)))
                attrs.append(f'CommentCount="{n_comments}"')
                attrs.append('ContentLicense="CC BY-SA 3.0"')
                posts.write(f"  <row {' '.join(attrs)} />\n")
                for _ in range(n_comments):
                    comment_id += 1
                    text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
                    when = row["at"] + timedelta(minutes=rng.expovariate(1 / 600))
                    comments.write(
                        f'  <row Id="{comment_id}" PostId="{row["id"]}" Score="'
                        f'{int(rng.expovariate(1))}" Text={quoteattr(text)} CreationDate="'
                        f'{_stamp(when)}" UserId="{_owner(rng, users)}" '
                        'ContentLicense="CC BY-SA 3.0" />\n'
                    )
                counts["comments"] += n_comments
                kinds = [2] * max(0, score) + [3] * (rng.random() < 0.2)
                kinds += [1] * (row["id"] in accepted.values())
                for kind in kinds:
                    vote_id += 1
                    day = (row["at"] + timedelta(days=rng.expovariate(1 / 20))).date()
                    votes.write(
                        f'  <row Id="{vote_id}" PostId="{row["id"]}" VoteTypeId="{kind}" '
                        f'CreationDate="{day.isoformat()}T00:00:00.000" />\n'
                    )
                counts["votes"] += len(kinds)
        posts.write("</posts>\n")
        comments.write("</comments>\n")
        votes.write("</votes>\n")
    with (folder / "Users.xml").open("w", encoding="utf-8") as out:
        out.write(header + "<users>\n")
        for user in range(1, users + 1):
            joined = START + timedelta(seconds=(at - START).total_seconds() * user / users)
            name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {user}"
            out.write(
                f'  <row Id="{user}" Reputation="{int(rng.paretovariate(1.2))}" '
                f'CreationDate="{_stamp(joined)}" DisplayName={quoteattr(name)} '
                f'LastAccessDate="{_stamp(at)}" Views="{rng.randint(0, 500)}" UpVotes="'
                f'{rng.randint(0, 100)}" DownVotes="{rng.randint(0, 10)}" AccountId="'
                f'{user + 100000}" />\n'
            )
        out.write("</users>\n")
    counts["posts_bytes"] = (folder / "Posts.xml").stat().st_size
    counts["bytes"] = sum(p.stat().st_size for p in folder.iterdir())
    return counts


def _mail_body(rng: random.Random, quoted: str | None, signature: str) -> str:
    lines: list[str] = []
    if quoted is not None:
        lines.append(f"On {rng.choice(('Mon', 'Tue', 'Wed', 'Thu'))}, someone wrote:")
        lines += [f"> {line}" if line else ">" for line in quoted.splitlines()[:12]]
        lines.append("")
    for _ in range(max(1, int(rng.lognormvariate(0.8, 0.6)))):
        words = " ".join(_sentence(rng) for _ in range(rng.randint(1, 5)))
        # Wrap at about 72 columns, as mail clients do.
        line: list[str] = []
        for word in words.split():
            line.append(word)
            if sum(len(w) + 1 for w in line) > 70:
                lines.append(" ".join(line))
                line = []
        if line:
            lines.append(" ".join(line))
        lines.append("")
    lines += ["-- ", signature, ""]
    lines += [
        "_______________________________________________",
        "Bench-discuss mailing list",
        "bench-discuss@lists.example.org",
        "https://lists.example.org/mailman/listinfo/bench-discuss",
    ]
    return "\n".join(lines)


def write_mbox(path: Path, *, messages: int, seed: int) -> dict[str, Any]:
    """Write one list's mbox: threads started and answered by a long tail of senders."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    senders = [
        (
            f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()}",
            f"person{n}@example{n % 97}.org",
        )
        for n in range(3000)
    ]
    recent: deque[tuple[str, str, list[str], str]] = deque(maxlen=3000)
    at = datetime(2019, 1, 1, 8, 0, tzinfo=UTC)
    threads = replies = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for n in range(1, messages + 1):
            at += timedelta(seconds=rng.expovariate(1 / 600))
            name, address = senders[min(len(senders) - 1, int(rng.paretovariate(0.9)) - 1)]
            if rng.random() < 0.5:
                name, address = senders[rng.randrange(len(senders))]
            message_id = f"<{n}.{rng.getrandbits(40):x}@mail.example{n % 13}.org>"
            headers = [
                f"From {address} {at:%a %b %d %H:%M:%S %Y}",
                f"From: {name} <{address}>",
                "To: bench-discuss@lists.example.org",
                f"Date: {format_datetime(at)}",
                f"Message-ID: {message_id}",
            ]
            if recent and rng.random() < 0.7:
                parent_id, subject, references, parent_body = recent[
                    -1 - min(len(recent) - 1, int(rng.expovariate(1 / 150)))
                ]
                refs = [*references, parent_id][-10:]
                subject = subject if subject.startswith("Re: ") else f"Re: {subject}"
                headers += [f"Subject: {subject}", f"In-Reply-To: {parent_id}"]
                headers.append("References: " + "\n\t".join(refs))
                body = _mail_body(rng, parent_body, name)
                replies += 1
            else:
                subject = f"[Bench-discuss] {_sentence(rng).rstrip('.!?')}"
                refs = []
                headers.append(f"Subject: {subject}")
                body = _mail_body(rng, None, name)
                threads += 1
            headers += [
                "List-Id: Bench discussion <bench-discuss.lists.example.org>",
                "List-Unsubscribe: <https://lists.example.org/mailman/options/bench-discuss>",
                "MIME-Version: 1.0",
                'Content-Type: text/plain; charset="utf-8"',
                "Content-Transfer-Encoding: 7bit",
            ]
            escaped = "\n".join(
                f">{line}" if line.startswith("From ") else line for line in body.splitlines()
            )
            out.write("\n".join(headers) + "\n\n" + escaped + "\n\n")
            recent.append((message_id, subject, refs, body.split("\n-- \n", 1)[0]))
    return {
        "messages": messages,
        "threads": threads,
        "replies": replies,
        "bytes": path.stat().st_size,
    }
