"""The benchmark organisation's communities, each with its own vocabulary (TOPICS).

Kept apart from the generator (bench/corpus.py) because it is data, not logic: one Topic per
community with the nouns, tools, verbs and tags its members write with, so full-text search has
something to rank ("terraform" is frequent in Cloud Operations and rare elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass

# --- the organisation -------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    """A community's vocabulary: what its members talk about and the tags they use."""

    slug: str
    name: str
    practice: str
    description: str
    nouns: tuple[str, ...]
    tools: tuple[str, ...]
    verbs: tuple[tuple[str, str], ...]  # (base, gerund)
    tags: tuple[str, ...]
    private: bool = False
    weight: float = 1.0  # share of the content this community gets


def _topic(
    slug: str,
    name: str,
    practice: str,
    description: str,
    *,
    nouns: str,
    tools: str,
    verbs: str,
    tags: str,
    private: bool = False,
    weight: float = 1.0,
) -> Topic:
    """Build a topic from comma-separated word lists; verbs are written base/gerund."""

    def split(text: str) -> tuple[str, ...]:
        return tuple(item.strip() for item in text.split(","))

    pairs = tuple((base, gerund) for base, gerund in (v.split("/") for v in split(verbs)))
    return Topic(
        slug,
        name,
        practice,
        description,
        split(nouns),
        split(tools),
        pairs,
        split(tags),
        private,
        weight,
    )


TOPICS: tuple[Topic, ...] = (
    _topic(
        "data-engineering",
        "Data Engineering Guild",
        "Data engineering",
        "Pipelines, warehouses and the people who keep the numbers honest.",
        nouns=(
            "pipeline, warehouse, schema, partition, backfill, data contract, lineage, batch job, "
            "stream, late-arriving event, dimension table, fact table, dbt model, orchestration, "
            "data quality check, incremental load, ingestion, parquet file, query plan, slowly "
            "changing dimension"
        ),
        tools="Airflow, dbt, Spark, Kafka, Snowflake, BigQuery, Polars, Dagster",
        verbs=(
            "partition/partitioning, backfill/backfilling, model/modelling, "
            "deduplicate/deduplicating, orchestrate/orchestrating, validate/validating"
        ),
        tags="pipelines, data-quality, dbt, spark, kafka, warehousing, airflow",
        weight=1.4,
    ),
    _topic(
        "ux-research",
        "UX Research Circle",
        "User research",
        "Interviews, usability tests and turning what people say into what teams build.",
        nouns=(
            "interview guide, usability test, persona, journey map, survey, diary study, "
            "recruitment screener, affinity map, insight, research repository, prototype, card "
            "sort, tree test, consent form, synthesis workshop, accessibility audit, participant "
            "incentive, heuristic review"
        ),
        tools="Dovetail, Figma, Maze, Optimal Workshop, Miro, Lookback",
        verbs=(
            "recruit/recruiting, synthesise/synthesising, interview/interviewing, "
            "prototype/prototyping, test/testing, share/sharing"
        ),
        tags="interviews, usability, accessibility, synthesis, surveys, recruiting",
        weight=0.8,
    ),
    _topic(
        "cloud-operations",
        "Cloud Operations",
        "Site reliability engineering",
        "Running production: deployments, incidents, cost and capacity.",
        nouns=(
            "deployment, incident, postmortem, runbook, alert, on-call rotation, load balancer, "
            "autoscaling group, kubernetes cluster, helm chart, terraform state, service level "
            "objective, error budget, canary release, rollback, cost report, container image, "
            "certificate renewal, dns record, backup restore"
        ),
        tools="Terraform, Kubernetes, Prometheus, Grafana, PagerDuty, Ansible, ArgoCD, Helm",
        verbs=(
            "deploy/deploying, roll back/rolling back, scale/scaling, monitor/monitoring, "
            "page/paging, migrate/migrating"
        ),
        tags="kubernetes, terraform, incidents, observability, on-call, cost, deploys",
        weight=1.5,
    ),
    _topic(
        "security-champions",
        "Security Champions",
        "Application security",
        "Threat models, dependency updates and keeping secrets secret.",
        nouns=(
            "threat model, vulnerability, dependency update, secret rotation, access review, "
            "penetration test, security review, phishing exercise, audit log, sso setup, password "
            "policy, least privilege, supply chain, signing key, firewall rule, risk register, "
            "cve, bug bounty report"
        ),
        tools="Vault, Snyk, Dependabot, Burp Suite, OWASP ZAP, Okta, Semgrep",
        verbs=(
            "rotate/rotating, patch/patching, review/reviewing, audit/auditing, harden/hardening, "
            "scan/scanning"
        ),
        tags="threat-modelling, secrets, dependencies, sso, owasp, audits",
        weight=0.9,
    ),
    _topic(
        "agile-delivery",
        "Agile Delivery",
        "Delivery management",
        "Planning, retrospectives and getting work out of the door without burning people out.",
        nouns=(
            "sprint, retrospective, backlog, roadmap, estimate, stand-up, okr, dependency map, "
            "release plan, kanban board, definition of done, stakeholder update, velocity, risk "
            "log, planning session, team charter, capacity plan"
        ),
        tools="Jira, Linear, Confluence, Trello, Asana, Notion",
        verbs=(
            "plan/planning, estimate/estimating, prioritise/prioritising, "
            "facilitate/facilitating, ship/shipping, track/tracking"
        ),
        tags="retros, estimation, okrs, kanban, roadmaps, facilitation",
        weight=1.1,
    ),
    _topic(
        "machine-learning",
        "Machine Learning Practice",
        "Machine learning",
        "Models in production: features, evaluation, drift and the data behind them.",
        nouns=(
            "model, feature store, training run, evaluation set, embedding, drift monitor, "
            "hyperparameter search, inference endpoint, labelling guideline, baseline, experiment "
            "tracker, gradient boosting model, confusion matrix, fine-tuning job, prompt, "
            "retrieval index, model card, gpu quota"
        ),
        tools="PyTorch, scikit-learn, MLflow, XGBoost, Hugging Face, Ray, Weights & Biases",
        verbs=(
            "train/training, evaluate/evaluating, label/labelling, tune/tuning, serve/serving, "
            "retrain/retraining"
        ),
        tags="mlops, evaluation, embeddings, llm, features, drift",
        weight=1.2,
    ),
    _topic(
        "frontend-craft",
        "Frontend Craft",
        "Frontend development",
        "Components, performance budgets and the browser quirks we keep meeting.",
        nouns=(
            "component library, design token, bundle size, hydration, form validation, state "
            "management, css grid, web vital, storybook story, end-to-end test, service worker, "
            "image loading, focus order, dark mode, api client, build step"
        ),
        tools="React, TypeScript, Vite, Playwright, Tailwind, htmx, Svelte, webpack",
        verbs=(
            "refactor/refactoring, bundle/bundling, render/rendering, lint/linting, test/testing, "
            "optimise/optimising"
        ),
        tags="react, typescript, css, performance, a11y, testing",
        weight=1.0,
    ),
    _topic(
        "sales-enablement",
        "Sales Enablement",
        "Sales",
        "Pitches, demos and the objections we hear every week.",
        nouns=(
            "discovery call, demo script, objection, pricing page, proposal, renewal, pipeline "
            "review, case study, battlecard, territory plan, champion, procurement process, "
            "quarterly target, handover to onboarding, win story"
        ),
        tools="Salesforce, HubSpot, Gong, Outreach, DocuSign",
        verbs=(
            "pitch/pitching, qualify/qualifying, negotiate/negotiating, close/closing, "
            "demo/demoing, forecast/forecasting"
        ),
        tags="discovery, demos, pricing, renewals, objections, forecasting",
        weight=0.7,
    ),
    _topic(
        "contracts-compliance",
        "Contracts & Compliance",
        "Legal and compliance",
        "Contract templates, data protection and the audits nobody enjoys. Members only.",
        nouns=(
            "data processing agreement, contract template, gdpr request, retention policy, vendor "
            "assessment, audit finding, export control, privacy notice, nda, subprocessor list, "
            "records of processing, breach notification, policy exception"
        ),
        tools="Ironclad, OneTrust, DocuSign, SharePoint",
        verbs=(
            "review/reviewing, redline/redlining, approve/approving, assess/assessing, "
            "document/documenting, escalate/escalating"
        ),
        tags="gdpr, contracts, vendors, retention, policy",
        private=True,
        weight=0.5,
    ),
    _topic(
        "people-managers",
        "People Managers",
        "People management",
        "One-to-ones, hiring, feedback and growing the people around you.",
        nouns=(
            "one-to-one, performance review, career ladder, hiring loop, interview panel, "
            "feedback conversation, onboarding plan, team offsite, promotion case, growth plan, "
            "exit interview, workload, skip-level meeting, mentoring pair"
        ),
        tools="Lattice, Greenhouse, Workday, Culture Amp",
        verbs=(
            "hire/hiring, coach/coaching, delegate/delegating, mentor/mentoring, "
            "promote/promoting, onboard/onboarding"
        ),
        tags="hiring, feedback, career-growth, one-to-ones, onboarding",
        weight=0.9,
    ),
)
