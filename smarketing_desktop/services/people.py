"""People: add, edit, remove, restore (the undo of remove), list."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smarketing_desktop.domain.people import Person, slugify, validate_person
from smarketing_desktop.errors import InUseError, NotFoundError, ValidationError
from smarketing_desktop.services.common import check_version
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan


def _record(row: models.Person) -> Person:
    return Person(
        id=row.id,
        name=row.name,
        team=row.team,
        role=row.role,
        email=row.email,
        phone=row.phone,
        version=row.version,
    )


def list_people(plan: Plan) -> list[Person]:
    """Everyone in the plan, by team then name."""
    with plan.read() as session:
        rows = session.scalars(
            select(models.Person).order_by(models.Person.team, func.lower(models.Person.name))
        )
        return [_record(row) for row in rows]


def get_person(plan: Plan, person_id: str) -> Person:
    with plan.read() as session:
        return _record(_row(session, person_id))


def _row(session: Session, person_id: str) -> models.Person:
    row = session.get(models.Person, person_id)
    if row is None:
        raise NotFoundError(f"There is no person with id {person_id!r}.")
    return row


def _free_id(session: Session, wanted: str) -> str:
    taken = set(
        session.scalars(select(models.Person.id).where(models.Person.id.startswith(wanted)))
    )
    candidate, number = wanted, 2
    while candidate in taken:
        candidate = f"{wanted}-{number}"
        number += 1
    return candidate


def add_person(plan: Plan, person: Person) -> Person:
    """Store a new person; an empty ``id`` gets one made from the name."""
    person = validate_person(person)
    with plan.write() as session:
        if person.id:
            if session.get(models.Person, person.id) is not None:
                raise ValidationError("id", f"{person.id!r} is already taken")
            person_id = person.id
        else:
            person_id = _free_id(session, slugify(person.name))
        row = models.Person(
            id=person_id,
            name=person.name,
            team=person.team,
            role=person.role,
            email=person.email,
            phone=person.phone,
        )
        session.add(row)
        session.flush()
        return _record(row)


def update_person(plan: Plan, person: Person) -> Person:
    """Save ``person``'s fields; fails if someone else changed it since ``person.version``."""
    person = validate_person(person)
    with plan.write() as session:
        row = _row(session, person.id)
        check_version(row.version, person.version)
        row.name, row.team, row.role = person.name, person.team, person.role
        row.email, row.phone = person.email, person.phone
        session.flush()
        return _record(row)


def owned_items(plan: Plan, person_id: str) -> list[str]:
    """Titles of the items ``person_id`` owns, by start date."""
    with plan.read() as session:
        return list(
            session.scalars(
                select(models.Item.title)
                .where(models.Item.owner_id == person_id)
                .order_by(models.Item.start_date, models.Item.title)
            )
        )


def remove_person(plan: Plan, person_id: str) -> Person:
    """Delete a person who owns nothing; returns what was deleted (for undo).

    Raises:
        InUseError: the person owns items; the message names them.
    """
    with plan.write() as session:
        row = _row(session, person_id)
        owned = list(
            session.scalars(
                select(models.Item.title)
                .where(models.Item.owner_id == person_id)
                .order_by(models.Item.start_date, models.Item.title)
            )
        )
        if owned:
            shown = ", ".join(f"“{title}”" for title in owned[:5])
            more = f" and {len(owned) - 5} more" if len(owned) > 5 else ""
            raise InUseError(
                f"{row.name} owns {len(owned)} item{'s' if len(owned) != 1 else ''}: "
                f"{shown}{more}. Give them another owner first.",
                owned,
            )
        removed = _record(row)
        session.delete(row)
        return removed


def restore_person(plan: Plan, person: Person) -> Person:
    """Put back a removed person under the same id (the undo of ``remove_person``)."""
    with plan.write() as session:
        if session.get(models.Person, person.id) is not None:
            raise ValidationError("id", f"{person.id!r} is already taken")
        row = models.Person(
            id=person.id,
            name=person.name,
            team=person.team,
            role=person.role,
            email=person.email,
            phone=person.phone,
        )
        session.add(row)
        session.flush()
        return _record(row)
