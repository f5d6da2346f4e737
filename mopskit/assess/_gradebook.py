"""The gradebook: trainees, assignments, submissions, check results and manual adjustments, in a database.

SQLAlchemy 2 over any database it speaks: a plain path means a SQLite file (the default,
``gradebook.sqlite``); anything with ``://`` is a SQLAlchemy URL, e.g.
``postgresql+psycopg://grader@db.example.org/mops`` (install the driver: ``pip install "psycopg[binary]"``).

Each graded submission is written in one transaction with all its check results, so a crash or a kill
mid-batch loses nothing already graded and leaves nothing half-written. A submission is known by trainee,
assignment and the hash of its content: the same content is graded once (:meth:`Gradebook.is_graded`), and a
forced re-grade replaces its results instead of adding a second copy.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    select,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from ..errors import GradingError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_DB", "CheckRow", "Gradebook", "GradedSubmission", "database_url"]

DEFAULT_DB = "gradebook.sqlite"  # the gradebook of the working folder: grade, grades and export_grades use it


class _Base(DeclarativeBase):
    pass


class Trainee(_Base):
    """A trainee: an id (from the roster or the submission's name), with a name and email when known."""

    __tablename__ = "trainees"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(300), default="")


class Assignment(_Base):
    """An assignment: a source lesson, by its id (the notebook's name without ``.ipynb``)."""

    __tablename__ = "assignments"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    possible: Mapped[float] = mapped_column(Float, default=0.0)


class Submission(_Base):
    """One graded version of one trainee's work on one assignment."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("trainee_id", "assignment_id", "content_hash"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee_id: Mapped[str] = mapped_column(ForeignKey("trainees.id"), index=True)
    assignment_id: Mapped[str] = mapped_column(ForeignKey("assignments.id"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    graded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(30))
    earned: Mapped[float] = mapped_column(Float, default=0.0)
    possible: Mapped[float] = mapped_column(Float, default=0.0)
    sandboxed: Mapped[bool] = mapped_column(Boolean, default=True)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    notes: Mapped[str] = mapped_column(Text, default="[]")
    answers: Mapped[str] = mapped_column(Text, default="{}")
    # the data the submission was graded on: the trainee's variant seed (None: the data everyone shares) and
    # which attempt it answers (a retake is attempt 2, 3...); added after the first release, see _upgrade
    variant_seed: Mapped[int | None] = mapped_column(Integer, nullable=True, default=None)
    attempt: Mapped[int | None] = mapped_column(Integer, nullable=True, default=None)
    results: Mapped[list[CheckResultRow]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="CheckResultRow.id"
    )


class CheckResultRow(_Base):
    """What one check said about one submission."""

    __tablename__ = "check_results"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    exercise: Mapped[str] = mapped_column(String(100))
    check: Mapped[str] = mapped_column(String(300))
    points: Mapped[float] = mapped_column(Float)
    earned: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    hidden: Mapped[bool] = mapped_column(Boolean)
    answered: Mapped[bool] = mapped_column(Boolean, default=True)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    message: Mapped[str] = mapped_column(Text, default="")
    hint: Mapped[str] = mapped_column(Text, default="")
    submission: Mapped[Submission] = relationship(back_populates="results")


class Adjustment(_Base):
    """A manual change to a trainee's points on an assignment, with who made it and why."""

    __tablename__ = "adjustments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee_id: Mapped[str] = mapped_column(ForeignKey("trainees.id"), index=True)
    assignment_id: Mapped[str] = mapped_column(ForeignKey("assignments.id"), index=True)
    delta: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Enrolment(_Base):
    """A hire on an onboarding path: their role and first day (``mopskit onboard``)."""

    __tablename__ = "enrolments"
    trainee_id: Mapped[str] = mapped_column(ForeignKey("trainees.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(100))
    start_date: Mapped[date] = mapped_column(Date)
    enrolled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Release(_Base):
    """One attempt at a lesson released to a trainee with its own data: the seed it was generated from."""

    __tablename__ = "releases"
    __table_args__ = (UniqueConstraint("trainee_id", "assignment_id", "attempt"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee_id: Mapped[str] = mapped_column(ForeignKey("trainees.id"), index=True)
    assignment_id: Mapped[str] = mapped_column(String(200))
    attempt: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    released_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class CheckRow:
    """One check's outcome, as the gradebook stores it."""

    exercise: str
    check: str
    points: float
    earned: float
    passed: bool
    hidden: bool
    answered: bool = True
    needs_review: bool = False
    message: str = ""
    hint: str = ""


@dataclass
class GradedSubmission:
    """Everything grading learned about one submission, ready to be recorded."""

    trainee: str
    assignment: str
    content_hash: str
    path: str
    submitted_at: datetime
    status: str  # graded, needs_review, unreadable
    checks: list[CheckRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sandboxed: bool = True
    seconds: float = 0.0
    title: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    exercise_titles: dict[str, str] = field(default_factory=dict)
    variant_seed: int | None = None  # the trainee's data variant it was graded on; None: the shared data
    attempt: int | None = None  # which released attempt it answers (None: not released per trainee)
    lang: str = "en"  # the language of the trainee's lesson: its feedback is written in it

    @property
    def earned(self) -> float:
        """Points earned over every check."""
        return round(sum(c.earned for c in self.checks), 4)

    @property
    def possible(self) -> float:
        """Points every check could give."""
        return round(sum(c.points for c in self.checks), 4)


def database_url(db: str | Path) -> str:
    """Turn a path into a SQLite URL; leave a SQLAlchemy URL as it is.

    >>> database_url("grades/gradebook.sqlite")
    'sqlite:///grades/gradebook.sqlite'
    >>> database_url("postgresql+psycopg://grader@localhost/mops")
    'postgresql+psycopg://grader@localhost/mops'
    """
    text = str(db)
    return text if "://" in text else f"sqlite:///{text}"


def _now() -> datetime:
    return datetime.now(UTC)


class Gradebook:
    """A gradebook database (created with its tables on first use).

    Args:
        db: a SQLite file path, or a SQLAlchemy URL.

    """

    def __init__(self, db: str | Path = DEFAULT_DB):
        self.url = database_url(db)
        if self.url.startswith("sqlite:///") and not self.url.startswith("sqlite:///:memory:"):
            folder = Path(self.url.removeprefix("sqlite:///")).parent
            if not folder.is_dir():
                raise GradingError(f"the gradebook's folder '{folder}' does not exist; create it or pick another --db")
        try:
            self.engine = create_engine(self.url)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            _Base.metadata.create_all(self.engine)
            _upgrade(self.engine)
        except (SQLAlchemyError, ImportError) as exc:
            raise GradingError(
                f"cannot open the gradebook '{self.url}' ({type(exc).__name__}: {str(exc).splitlines()[0]}); "
                "give a SQLite file path or a SQLAlchemy URL whose driver is installed"
            ) from None

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back if it raises."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def add_trainee(self, trainee_id: str, *, name: str = "", email: str = "") -> None:
        """Add a trainee, or fill in the name and email of one already there."""
        with self.session() as s:
            _upsert_trainee(s, trainee_id, name=name, email=email)

    def is_graded(self, *, trainee: str, assignment: str, content_hash: str) -> bool:
        """Whether this exact content was graded already for this trainee and assignment."""
        with self.session() as s:
            found = s.scalar(
                select(Submission.id).where(
                    Submission.trainee_id == trainee,
                    Submission.assignment_id == assignment,
                    Submission.content_hash == content_hash,
                )
            )
        return found is not None

    def record(self, graded: GradedSubmission) -> int:
        """Write one graded submission and its check results in one transaction; returns its id.

        The same trainee, assignment and content graded again replaces the earlier results (no duplicate).
        """
        with self.session() as s:
            _upsert_trainee(s, graded.trainee)
            assignment = s.get(Assignment, graded.assignment)
            if assignment is None:
                assignment = Assignment(id=graded.assignment)
                s.add(assignment)
            assignment.title = graded.title or assignment.title
            assignment.possible = graded.possible or assignment.possible
            sub = s.scalar(
                select(Submission).where(
                    Submission.trainee_id == graded.trainee,
                    Submission.assignment_id == graded.assignment,
                    Submission.content_hash == graded.content_hash,
                )
            )
            if sub is None:
                sub = Submission(
                    trainee_id=graded.trainee, assignment_id=graded.assignment, content_hash=graded.content_hash
                )
                s.add(sub)
            sub.path, sub.submitted_at, sub.graded_at = graded.path, graded.submitted_at, _now()
            sub.status, sub.earned, sub.possible = graded.status, graded.earned, graded.possible
            sub.sandboxed, sub.seconds, sub.notes = graded.sandboxed, graded.seconds, json.dumps(graded.notes)
            sub.answers = _answers_json(graded.answers)
            sub.variant_seed, sub.attempt = graded.variant_seed, graded.attempt
            sub.results = [CheckResultRow(**vars(c)) for c in graded.checks]
            s.flush()
            return sub.id

    def adjust(
        self, *, trainee: str, assignment: str, delta: float, reason: str, author: str, reviewed: bool = False
    ) -> int:
        """Record a manual change of points, with the reason and who made it; returns its id.

        Args:
            trainee: the trainee's id.
            assignment: the assignment's id.
            delta: points to add (negative to remove; 0 to only record a review).
            reason: why, kept in the gradebook and shown in exports.
            author: who made the change.
            reviewed: the answers flagged "needs review" in the trainee's latest submission were read: its status
                becomes ``reviewed``.

        Raises:
            GradingError: no reason or author, or the trainee or assignment is not in the gradebook.

        """
        if not reason.strip() or not author.strip():
            raise GradingError("an adjustment needs a reason and an author (--reason '...' --author NAME)")
        with self.session() as s:
            known = {t for t in s.scalars(select(Trainee.id))}
            if trainee not in known:
                raise GradingError(f"no trainee '{trainee}' in the gradebook; known: {', '.join(sorted(known))}")
            if s.get(Assignment, assignment) is None:
                names = ", ".join(sorted(s.scalars(select(Assignment.id))))
                raise GradingError(f"no assignment '{assignment}' in the gradebook; known: {names or 'none'}")
            row = Adjustment(
                trainee_id=trainee,
                assignment_id=assignment,
                delta=float(delta),
                reason=reason.strip(),
                author=author.strip(),
                created_at=_now(),
            )
            s.add(row)
            if reviewed:
                latest = s.scalars(
                    select(Submission)
                    .where(Submission.trainee_id == trainee, Submission.assignment_id == assignment)
                    .order_by(Submission.submitted_at.desc(), Submission.graded_at.desc(), Submission.id.desc())
                ).first()
                if latest is not None and latest.status == "needs_review":
                    latest.status = "reviewed"
            s.flush()
            return row.id

    def latest(self, *, assignment: str | None = None, trainee: str | None = None) -> list[Submission]:
        """The latest graded submission of each trainee on each assignment (with its check results).

        Args:
            assignment: only this assignment.
            trainee: only this trainee.

        """
        with self.session() as s:
            query = select(Submission).order_by(Submission.submitted_at, Submission.graded_at, Submission.id)
            if assignment:
                query = query.where(Submission.assignment_id == assignment)
            if trainee:
                query = query.where(Submission.trainee_id == trainee)
            latest: dict[tuple[str, str], Submission] = {}
            for sub in s.scalars(query):
                _ = sub.results  # load them while the session is open
                latest[(sub.trainee_id, sub.assignment_id)] = sub
        return sorted(latest.values(), key=lambda x: (x.assignment_id, x.trainee_id))

    def scores(self, *, assignment: str | None = None, trainee: str | None = None) -> pd.DataFrame:
        """One row per trainee and assignment: points earned, adjustments, total, possible, percent, status.

        Args:
            assignment: only this assignment.
            trainee: only this trainee.

        """
        import pandas as pd

        with self.session() as s:
            trainees = {t.id: t for t in s.scalars(select(Trainee))}
            adjust: dict[tuple[str, str], float] = {}
            for a in s.scalars(select(Adjustment)):
                adjust[(a.trainee_id, a.assignment_id)] = adjust.get((a.trainee_id, a.assignment_id), 0.0) + a.delta
        rows = []
        for sub in self.latest(assignment=assignment, trainee=trainee):
            extra = adjust.get((sub.trainee_id, sub.assignment_id), 0.0)
            total = max(0.0, min(sub.possible, sub.earned + extra)) if sub.possible else sub.earned + extra
            person = trainees.get(sub.trainee_id)
            rows.append(
                {
                    "trainee": sub.trainee_id,
                    "name": person.name if person else "",
                    "email": person.email if person else "",
                    "assignment": sub.assignment_id,
                    "earned": sub.earned,
                    "adjustment": extra,
                    "total": round(total, 4),
                    "possible": sub.possible,
                    "percent": round(100 * total / sub.possible, 1) if sub.possible else 0.0,
                    "status": sub.status,
                    "submitted_at": sub.submitted_at,
                    "graded_at": sub.graded_at,
                }
            )
        columns = ["trainee", "name", "email", "assignment", "earned", "adjustment", "total", "possible"]
        return pd.DataFrame(rows, columns=[*columns, "percent", "status", "submitted_at", "graded_at"])

    def check_results(self, *, assignment: str | None = None, trainee: str | None = None) -> pd.DataFrame:
        """Every check result of the latest submissions, one row per check (for the cohort report).

        Args:
            assignment: only this assignment.
            trainee: only this trainee.

        """
        import pandas as pd

        rows = []
        for sub in self.latest(assignment=assignment, trainee=trainee):
            for r in sub.results:
                rows.append(
                    {
                        "trainee": sub.trainee_id,
                        "assignment": sub.assignment_id,
                        "exercise": r.exercise,
                        "check": r.check,
                        "points": r.points,
                        "earned": r.earned,
                        "passed": r.passed,
                        "hidden": r.hidden,
                        "answered": r.answered,
                        "needs_review": r.needs_review,
                        "message": r.message,
                        "hint": r.hint,
                    }
                )
        columns = ["trainee", "assignment", "exercise", "check", "points", "earned", "passed", "hidden"]
        return pd.DataFrame(rows, columns=[*columns, "answered", "needs_review", "message", "hint"])

    def adjustments(self) -> list[dict[str, Any]]:
        """Every manual adjustment, oldest first."""
        with self.session() as s:
            return [
                {
                    "id": a.id,
                    "trainee": a.trainee_id,
                    "assignment": a.assignment_id,
                    "delta": a.delta,
                    "reason": a.reason,
                    "author": a.author,
                    "created_at": a.created_at,
                }
                for a in s.scalars(select(Adjustment).order_by(Adjustment.id))
            ]

    def trainees(self) -> pd.DataFrame:
        """Every trainee the gradebook knows: trainee (id), name, email."""
        import pandas as pd

        with self.session() as s:
            rows = [(t.id, t.name, t.email) for t in s.scalars(select(Trainee).order_by(Trainee.id))]
        return pd.DataFrame(rows, columns=["trainee", "name", "email"])

    def enrol(self, trainee: str, *, role: str, start: date, name: str = "", email: str = "") -> None:
        """Record a hire's role and first day (again: the latest wins), adding the trainee if new."""
        with self.session() as s:
            _upsert_trainee(s, trainee, name=name, email=email)
            row = s.get(Enrolment, trainee)
            if row is None:
                s.add(Enrolment(trainee_id=trainee, role=role, start_date=start, enrolled_at=_now()))
            else:
                row.role, row.start_date, row.enrolled_at = role, start, _now()

    def enrolments(self) -> pd.DataFrame:
        """Every hire on a path: trainee, name, email, role, start date."""
        import pandas as pd

        with self.session() as s:
            rows = [
                {"trainee": e.trainee_id, "name": t.name, "email": t.email, "role": e.role, "start": e.start_date}
                for e, t in s.execute(select(Enrolment, Trainee).join(Trainee, Trainee.id == Enrolment.trainee_id))
            ]
        return pd.DataFrame(rows, columns=["trainee", "name", "email", "role", "start"]).sort_values(
            "trainee", ignore_index=True
        )

    def record_release(self, trainee: str, assignment: str, *, attempt: int, seed: int) -> None:
        """Record that ``attempt`` of ``assignment`` went to ``trainee`` with the data of ``seed`` (idempotent)."""
        with self.session() as s:
            _upsert_trainee(s, trainee)
            found = s.scalar(
                select(Release).where(
                    Release.trainee_id == trainee, Release.assignment_id == assignment, Release.attempt == attempt
                )
            )
            if found is None:
                s.add(
                    Release(
                        trainee_id=trainee, assignment_id=assignment, attempt=attempt, seed=seed, released_at=_now()
                    )
                )
            elif found.seed != seed:
                raise GradingError(
                    f"attempt {attempt} of {assignment} for {trainee} was released with seed {found.seed}, not {seed}; "
                    "a released attempt keeps its data (release a retake for new data)"
                )

    def latest_release(self, trainee: str, assignment: str) -> tuple[int, int] | None:
        """The latest attempt released to a trainee for an assignment, as ``(attempt, seed)``; None if none was."""
        with self.session() as s:
            found = s.scalars(
                select(Release)
                .where(Release.trainee_id == trainee, Release.assignment_id == assignment)
                .order_by(Release.attempt.desc())
            ).first()
        return None if found is None else (found.attempt, found.seed)

    def releases(self) -> pd.DataFrame:
        """Every attempt released with its own data: trainee, assignment, attempt, seed, released_at."""
        import pandas as pd

        with self.session() as s:
            rows = [
                {
                    "trainee": r.trainee_id,
                    "assignment": r.assignment_id,
                    "attempt": r.attempt,
                    "seed": r.seed,
                    "released_at": r.released_at,
                }
                for r in s.scalars(select(Release).order_by(Release.trainee_id, Release.assignment_id, Release.attempt))
            ]
        return pd.DataFrame(rows, columns=["trainee", "assignment", "attempt", "seed", "released_at"])

    def evidence(self) -> pd.DataFrame:
        """Points per exercise of every graded submission (not only the latest): what mastery is judged on.

        One row per submission and exercise: ``submission`` (its id), ``trainee``, ``assignment``, ``exercise``,
        ``earned`` and ``points`` (over its checks, hidden ones included), ``answered``, ``submitted_at``,
        ``variant_seed`` (None: the shared data) and ``attempt``. Summed in the database, so it grows with the
        number of submissions and exercises, not checks.
        """
        import pandas as pd
        from sqlalchemy import func

        query = (
            select(
                Submission.id,
                Submission.trainee_id,
                Submission.assignment_id,
                CheckResultRow.exercise,
                func.sum(CheckResultRow.earned),
                func.sum(CheckResultRow.points),
                func.max(CheckResultRow.answered),
                Submission.submitted_at,
                Submission.variant_seed,
                Submission.attempt,
            )
            .join(CheckResultRow, CheckResultRow.submission_id == Submission.id)
            .group_by(Submission.id, CheckResultRow.exercise)
        )
        names = ["submission", "trainee", "assignment", "exercise", "earned", "points", "answered"]
        names += ["submitted_at", "variant_seed", "attempt"]
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        frame = pd.DataFrame([tuple(r) for r in rows], columns=names)
        frame["answered"] = frame["answered"].astype(bool)
        frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
        return frame

    def counts(self) -> dict[str, int]:
        """How many rows each table holds."""
        from sqlalchemy import func

        with self.session() as s:
            return {
                model.__tablename__: int(s.scalar(select(func.count()).select_from(model)) or 0)
                for model in (Trainee, Assignment, Submission, CheckResultRow, Adjustment, Enrolment, Release)
            }


def _answers_json(answers: dict[str, Any], limit: int = 1_000_000) -> str:
    """The answers as JSON for the record (free text an instructor reviews), each cut to fit the limit."""
    text = json.dumps(answers, ensure_ascii=False)
    if len(text) <= limit:
        return text
    share = limit // max(len(answers), 1)
    return json.dumps({k: json.dumps(v, ensure_ascii=False)[:share] for k, v in answers.items()}, ensure_ascii=False)


def _upsert_trainee(s: Session, trainee_id: str, *, name: str = "", email: str = "") -> None:
    row = s.get(Trainee, trainee_id)
    if row is None:
        s.add(Trainee(id=trainee_id, name=name, email=email))
        s.flush()
        return
    row.name = name or row.name
    row.email = email or row.email


def _upgrade(engine: Any) -> None:
    """Bring a gradebook made by an earlier version up to date: columns added since are added, none removed.

    ``create_all`` makes missing tables but never alters one that exists; a gradebook from before onboarding has
    submissions without ``variant_seed`` and ``attempt``.
    """
    from sqlalchemy import inspect, text

    present = {c["name"] for c in inspect(engine).get_columns("submissions")}
    missing = [name for name in ("variant_seed", "attempt") if name not in present]
    if missing:
        with engine.begin() as connection:
            for name in missing:
                connection.execute(text(f"ALTER TABLE submissions ADD COLUMN {name} INTEGER"))


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
