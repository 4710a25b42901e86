"""Knowledge routing, evaluated on the real Stack Exchange dumps (`make bench-routing`).

- Duplicates: every PostLinks row with LinkTypeId 3 says a question duplicates another. Each
  duplicate's title and body is the query; every other question of its site asked before it
  is the corpus; the question it duplicates is the one right answer. Recall@5, recall@10 and
  MRR for the lexical ranker (Okapi BM25 over title and body), the semantic one (the product's
  sentence encoder, cosine) and the hybrid (reciprocal rank fusion of the two, as search does).
- Expert finding: the questions of the last 20% of each site's time are asked again; the truth
  is who wrote the accepted answer (else the top-voted one). Candidates are the people who
  answered before the split; a truth answerer who never answered before cannot be found by
  anyone and is counted apart. P@1, MRR and NDCG@5 for two baselines (the most active
  answerer; BM25 over each person's past answers and the titles they answered) and for
  Cultivate's ranking (`core.semantics.experts`, the function the product uses, fed with the
  same evidence it reads from the database: answers on the nearest questions, answers under
  shared tags, recency).
- Cost: embedding throughput on one core, index build time and query p95 at 100,000 and
  1,000,000 vectors (random unit vectors of the model's width: exact search, then usearch).

Figures go to docs/metrics.md between the "knowledge routing" markers.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cultivate.core.markup import html_text  # noqa: E402
from cultivate.core.semantics.encoder import load_encoder  # noqa: E402
from cultivate.core.semantics.experts import Evidence, answer_weight, rank_people  # noqa: E402
from cultivate.core.semantics.fusion import reciprocal_rank_fusion  # noqa: E402
from cultivate.core.semantics.nearest import VectorIndex  # noqa: E402
from cultivate.tools.docsection import replace_section  # noqa: E402

DOC = ROOT / "docs" / "metrics.md"
START = "<!-- knowledge routing: written by `make bench-routing` -->"
END = "<!-- end of knowledge routing -->"
ENCODER = Path(os.environ.get("CULTIVATE_EMBEDDER") or ROOT / "var/models/all-MiniLM-L6-v2")
_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    re.findall(
        r"\w+",
        "a an and are as at be but by can do does for from has have how i if in is it its my "
        "not of on or so that the this to was what when where which who why will with you",
    )
)
NEIGHBOURS, MIN_CLOSENESS, TAG_CLOSENESS = 40, 0.3, 0.35


@dataclass
class Post:
    id: int
    kind: int
    created: datetime
    owner: int | None
    title: str = ""
    text: str = ""
    tags: tuple[str, ...] = ()
    parent: int | None = None
    accepted: int | None = None
    score: int = 0


@dataclass
class Site:
    name: str
    questions: dict[int, Post] = field(default_factory=dict)
    answers: dict[int, Post] = field(default_factory=dict)
    duplicates: list[tuple[int, int]] = field(default_factory=list)


def _int(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def read_site(folder: Path) -> Site:
    """Read questions, answers and duplicate links of one dump."""
    site = Site(folder.name)
    for _, row in ET.iterparse(folder / "Posts.xml"):
        if row.tag != "row":
            continue
        a = row.attrib
        kind = int(a.get("PostTypeId", "0"))
        if kind not in (1, 2):
            row.clear()
            continue
        post = Post(
            id=int(a["Id"]),
            kind=kind,
            created=datetime.fromisoformat(a["CreationDate"]),
            owner=_int(a.get("OwnerUserId")),
            title=a.get("Title", ""),
            text=html_text(a.get("Body", ""), 2000),
            tags=tuple(t for t in re.split(r"[<>|]", a.get("Tags", "")) if t),
            parent=_int(a.get("ParentId")),
            accepted=_int(a.get("AcceptedAnswerId")),
            score=int(a.get("Score", "0")),
        )
        (site.questions if kind == 1 else site.answers)[post.id] = post
        row.clear()
    links = folder / "PostLinks.xml"
    if links.exists():
        for _, row in ET.iterparse(links):
            a = row.attrib
            if row.tag == "row" and a.get("LinkTypeId") == "3":
                duplicate, original = int(a["PostId"]), int(a["RelatedPostId"])
                if duplicate in site.questions and original in site.questions:
                    site.duplicates.append((duplicate, original))
            row.clear()
    return site


def tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text.lower()) if t not in _STOP]


class BM25:
    """Okapi BM25 (k1 1.2, b 0.75) over a fixed list of documents."""

    def __init__(self, documents: Sequence[list[str]]) -> None:
        self.counts = [Counter(d) for d in documents]
        self.lengths = np.array([len(d) for d in documents], dtype=float)
        self.mean = float(self.lengths.mean()) if len(documents) else 1.0
        frequency: Counter[str] = Counter()
        for c in self.counts:
            frequency.update(c.keys())
        n = len(documents)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in frequency.items()}

    def scores(self, query: Iterable[str]) -> np.ndarray:
        out = np.zeros(len(self.counts))
        norm = 1.2 * (1 - 0.75 + 0.75 * self.lengths / max(self.mean, 1e-9))
        for term in set(query):
            idf = self.idf.get(term)
            if idf is None:
                continue
            tf = np.array([c.get(term, 0) for c in self.counts], dtype=float)
            out += idf * tf * 2.2 / (tf + norm)
        return out


def _rank(scores: np.ndarray, keys: Sequence[int]) -> list[int]:
    order = np.argsort(-scores, kind="stable")
    return [keys[i] for i in order if scores[i] > 0]


def _position(ranking: Sequence[object], wanted: object) -> int | None:
    for i, item in enumerate(ranking, start=1):
        if item == wanted:
            return i
    return None


def _question_text(q: Post) -> str:
    return f"{q.title}. {q.text[:1200]}"


@dataclass
class Scores:
    positions: list[int | None] = field(default_factory=list)

    def at(self, k: int) -> float:
        return sum(1 for p in self.positions if p is not None and p <= k) / max(
            len(self.positions), 1
        )

    @property
    def mrr(self) -> float:
        return sum(1 / p for p in self.positions if p) / max(len(self.positions), 1)

    @property
    def ndcg5(self) -> float:
        gains = [1 / math.log2(p + 1) for p in self.positions if p is not None and p <= 5]
        return sum(gains) / max(len(self.positions), 1)


def evaluate_duplicates(
    sites: list[Site], vectors: dict[str, dict[int, np.ndarray]]
) -> dict[str, Scores]:
    results = {"lexical": Scores(), "semantic": Scores(), "hybrid": Scores()}
    for site in sites:
        for duplicate, original in site.duplicates:
            query = site.questions[duplicate]
            corpus = [
                q
                for q in site.questions.values()
                if q.id != duplicate and q.created < query.created
            ]
            if original not in {q.id for q in corpus}:
                corpus.append(site.questions[original])  # re-asked before its original was posted
            keys = [q.id for q in corpus]
            lexical = _rank(
                BM25([tokens(_question_text(q)) for q in corpus]).scores(
                    tokens(_question_text(query))
                ),
                keys,
            )
            matrix = np.vstack([vectors[site.name][k] for k in keys])
            cosines = matrix @ vectors[site.name][duplicate]
            semantic = [keys[i] for i in np.argsort(-cosines, kind="stable")]
            hybrid = [k for k, _ in reciprocal_rank_fusion([lexical[:100], semantic[:100]])]
            for name, ranking in (("lexical", lexical), ("semantic", semantic), ("hybrid", hybrid)):
                results[name].positions.append(_position(ranking, original))
    return results


def _truth(question: Post, answers: list[Post]) -> int | None:
    accepted = [a for a in answers if a.id == question.accepted and a.owner is not None]
    if accepted:
        return accepted[0].owner
    voted = sorted((a for a in answers if a.owner is not None), key=lambda a: (-a.score, a.created))
    return voted[0].owner if voted else None


@dataclass
class ExpertResults:
    rankers: dict[str, Scores] = field(
        default_factory=lambda: {n: Scores() for n in ("most active", "BM25", "Cultivate")}
    )
    asked: int = 0
    unfindable: int = 0


def evaluate_experts(sites: list[Site], vectors: dict[str, dict[int, np.ndarray]]) -> ExpertResults:
    results = ExpertResults()
    for site in sites:
        by_question: dict[int, list[Post]] = defaultdict(list)
        for answer in site.answers.values():
            if answer.parent in site.questions:
                by_question[answer.parent].append(answer)
        ordered = sorted(site.questions.values(), key=lambda q: q.created)
        cut = ordered[int(len(ordered) * 0.8)].created
        past = [q for q in ordered if q.created < cut]
        past_answers = [
            a for q in past for a in by_question[q.id] if a.owner is not None and a.created < cut
        ]
        activity = Counter(a.owner for a in past_answers)
        people = sorted(activity)
        profile: dict[int, list[str]] = defaultdict(list)
        for a in past_answers:
            profile[a.owner].extend(tokens(f"{site.questions[a.parent].title} {a.text}"))  # type: ignore[index]
        bm25 = BM25([profile[p] for p in people])
        past_keys = np.array([q.id for q in past])
        index = VectorIndex.build(past_keys, np.vstack([vectors[site.name][k] for k in past_keys]))
        answers_on: dict[int, list[Post]] = {
            q.id: [a for a in by_question[q.id] if a.created < cut] for q in past
        }
        by_tag: dict[str, list[Post]] = defaultdict(list)
        for q in past:
            for tag in q.tags:
                by_tag[tag].extend(answers_on[q.id])
        for question in ordered:
            if question.created < cut:
                continue
            truth = _truth(question, by_question[question.id])
            if truth is None or truth == question.owner:
                continue
            results.asked += 1
            if truth not in activity:
                results.unfindable += 1
                continue
            candidates = [p for p in people if p != question.owner]
            most_active = sorted(candidates, key=lambda p: (-activity[p], p))
            scores = bm25.scores(tokens(_question_text(question)))
            lexical = [
                people[i] for i in np.argsort(-scores, kind="stable") if people[i] != question.owner
            ]
            ours = _cultivate_ranking(question, index, site, answers_on, by_tag)
            ours += [p for p in most_active if p not in set(ours)]
            for name, ranking in (
                ("most active", most_active),
                ("BM25", lexical),
                ("Cultivate", ours),
            ):
                results.rankers[name].positions.append(_position(ranking, truth))
    return results


def _cultivate_ranking(
    question: Post,
    index: VectorIndex,
    site: Site,
    answers_on: dict[int, list[Post]],
    by_tag: dict[str, list[Post]],
) -> list[int]:
    """The product's ranking (sharing.experts) on the dump: the same evidence, the same weights."""
    vector = VECTORS[site.name][question.id]
    evidence: list[Evidence[int]] = []
    for key, similarity in index.nearest(vector, NEIGHBOURS):
        if similarity < MIN_CLOSENESS:
            continue
        neighbour = site.questions[key]
        for a in answers_on[key]:
            if a.owner is not None:
                accepted = a.id == neighbour.accepted
                evidence.append(
                    Evidence(
                        a.owner, similarity, answer_weight(a.score, accepted), a.created, "answer"
                    )
                )
    seen: set[int] = set()
    for tag in question.tags:
        for a in by_tag.get(tag, [])[-300:]:
            if a.owner is not None and a.id not in seen:
                seen.add(a.id)
                accepted = a.id == site.questions[a.parent].accepted  # type: ignore[index]
                evidence.append(
                    Evidence(
                        a.owner, TAG_CLOSENESS, answer_weight(a.score, accepted), a.created, "tag"
                    )
                )
    ranked = rank_people(evidence, now=question.created, exclude=[question.owner])
    return [r.person for r in ranked]


VECTORS: dict[str, dict[int, np.ndarray]] = {}


def embed_sites(sites: list[Site]) -> tuple[int, float]:
    """Embed every question of every site (the product's encoder); return count and seconds."""
    encoder = load_encoder(ENCODER)
    total, started = 0, time.perf_counter()
    for site in sites:
        keys = list(site.questions)
        matrix = encoder.encode([_question_text(site.questions[k]) for k in keys])
        VECTORS[site.name] = dict(zip(keys, matrix, strict=True))
        total += len(keys)
    return total, time.perf_counter() - started


def _clustered(n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit vectors in 2,000 topics (a topic's centre plus noise), as embeddings of real posts
    gather; uniformly random vectors have no neighbours worth finding."""
    centres = rng.standard_normal((2000, 384), dtype=np.float32)
    matrix = centres[rng.integers(0, 2000, n)]
    matrix += 0.6 * rng.standard_normal((n, 384), dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix


def measure_cost(sizes: Sequence[int]) -> list[tuple[str, int, float, float, float, float]]:
    """(kind, vectors, build s, query p50 ms, query p95 ms, recall@10 against exact search)."""
    rows = []
    rng = np.random.default_rng(3)
    for n in sizes:
        matrix = _clustered(n, rng)
        queries = matrix[rng.integers(0, n, 200)] + 0.3 * rng.standard_normal(
            (200, 384), dtype=np.float32
        )
        queries /= np.linalg.norm(queries, axis=1, keepdims=True)
        truth = [set(np.argpartition(-(matrix @ q), 10)[:10].tolist()) for q in queries]
        for exact_limit, kind in ((n, "exact"), (0, "usearch HNSW")):
            if kind == "exact" and n > 100_000:
                continue
            started = time.perf_counter()
            index = VectorIndex.build(np.arange(n), matrix, exact_limit=exact_limit)
            build = time.perf_counter() - started
            times, found = [], 0
            for q, wanted in zip(queries, truth, strict=True):
                t = time.perf_counter()
                hits = index.nearest(q, 10)
                times.append((time.perf_counter() - t) * 1000)
                found += len({k for k, _ in hits} & wanted)
            rows.append(
                (
                    kind,
                    n,
                    build,
                    float(np.percentile(times, 50)),
                    float(np.percentile(times, 95)),
                    found / (10 * len(queries)),
                )
            )
        del matrix
    return rows


def sentences_per_second() -> float:
    """Embedding throughput of one core on 1,000 question-like sentences."""
    from cultivate.core.semantics import encoder as encoder_module

    encoder_module._loaded.clear()
    one_core = load_encoder(ENCODER, threads=1)
    texts = [
        f"How do I keep bearing {i} cool when the pump runs at {i * 7} rpm in summer?"
        for i in range(1000)
    ]
    one_core.encode(texts[:50])
    started = time.perf_counter()
    one_core.encode(texts)
    encoder_module._loaded.clear()
    return len(texts) / (time.perf_counter() - started)


def render(sites, duplicates, experts, embedded, embed_seconds, per_second, cost, took) -> str:
    pairs = sum(len(s.duplicates) for s in sites)
    lines = [
        START,
        "",
        "### Knowledge routing (issue 14)",
        "",
        f"Measured {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} with `make bench-routing` "
        f"({took:.0f} s) on {', '.join(s.name for s in sites)} "
        f"({sum(len(s.questions) for s in sites):,} questions, "
        f"{sum(len(s.answers) for s in sites):,} answers).",
        "",
        f"**Duplicates** ({pairs} questions marked as duplicates by the sites' PostLinks, "
        "LinkTypeId 3; the query is the duplicate's title and body, the corpus every question "
        "of its site asked before it):",
        "",
        "| ranker | recall@5 | recall@10 | MRR |",
        "|---|---:|---:|---:|",
    ]
    for name, scores in duplicates.items():
        lines.append(f"| {name} | {scores.at(5):.2f} | {scores.at(10):.2f} | {scores.mrr:.3f} |")
    findable = experts.asked - experts.unfindable
    bm25 = experts.rankers["BM25"].at(1)
    ours = experts.rankers["Cultivate"].at(1)
    gain = (ours / bm25 - 1) * 100 if bm25 else float("nan")
    lines += [
        "",
        f"**Expert finding** (the last 20% of each site's questions by time; truth: the accepted "
        f"answer's author, else the top-voted answer's; {experts.asked} questions, of which "
        f"{experts.unfindable} were answered by someone who had never answered before the split "
        f"and are left out, so {findable} are scored):",
        "",
        "| ranker | P@1 | MRR | NDCG@5 |",
        "|---|---:|---:|---:|",
    ]
    for name, scores in experts.rankers.items():
        lines.append(f"| {name} | {scores.at(1):.3f} | {scores.mrr:.3f} | {scores.ndcg5:.3f} |")
    verdict = "met" if gain >= 40 else "not met"
    lines += [
        "",
        f"Cultivate's P@1 is {gain:+.0f}% against BM25 (target +40%: {verdict}).",
        "",
        f"**Cost**: the sites' {embedded:,} questions embedded in {embed_seconds:.1f} s "
        "on both cores; "
        f"{per_second:,.0f} sentences/s on one core (1,000 question-like sentences).",
        "",
        "| index | vectors | build s | query p50 ms | query p95 ms | recall@10 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, n, build, p50, p95, recall in cost:
        lines.append(f"| {kind} | {n:,} | {build:.1f} | {p50:.2f} | {p95:.2f} | {recall:.3f} |")
    lines += [
        "",
        "Vectors for the cost rows are synthetic: unit vectors of the model's width gathered "
        "around 2,000 topics; recall@10 is the share of exact search's ten nearest that the "
        "index returns, over 200 queries.",
    ]
    lines += ["", END]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        description="Evaluate knowledge routing on the Stack Exchange dumps."
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("CULTIVATE_DATA") or ROOT.parent / "shared" / "data"),
    )
    parser.add_argument(
        "--sizes", default="100000,1000000", help="vector counts for the cost figures"
    )
    parser.add_argument("--doc", type=Path, default=DOC)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sites = [
        read_site(folder)
        for folder in sorted(args.data.glob("se-*"))
        if (folder / "Posts.xml").exists()
    ]
    embedded, embed_seconds = embed_sites(sites)
    duplicates = evaluate_duplicates(sites, VECTORS)
    experts = evaluate_experts(sites, VECTORS)
    per_second = sentences_per_second()
    cost = measure_cost([int(s) for s in args.sizes.split(",") if s])
    section = render(
        sites,
        duplicates,
        experts,
        embedded,
        embed_seconds,
        per_second,
        cost,
        time.perf_counter() - started,
    )
    replace_section(args.doc, START, END, section)
    print(section)


if __name__ == "__main__":
    main(sys.argv[1:])
