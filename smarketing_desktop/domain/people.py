"""People: who in sales or marketing to talk to."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from smarketing_desktop.domain.words import PERSON_TEAMS, Team
from smarketing_desktop.errors import ValidationError


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    team: str
    role: str = ""
    email: str = ""
    phone: str = ""
    # The optimistic version counter of the stored row (0 for one not yet stored).
    version: int = 0


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def validate_person(person: Person) -> Person:
    """Return ``person`` with surrounding blanks trimmed, or raise ValidationError."""
    name = person.name.strip()
    if not name:
        raise ValidationError("name", "a person needs a name")
    if "\x00" in name + person.role + person.email + person.phone:
        raise ValidationError("name", "contains a NUL character")
    if person.team not in {team.value for team in PERSON_TEAMS}:
        allowed = " or ".join(team.value for team in PERSON_TEAMS)
        raise ValidationError("team", f"must be {allowed}, not {person.team!r}")
    email = person.email.strip()
    if email and not _EMAIL.match(email):
        raise ValidationError("email", f"{email!r} is not an e-mail address")
    return Person(
        id=person.id,
        name=name,
        team=Team(person.team).value,
        role=person.role.strip(),
        email=email,
        phone=person.phone.strip(),
        version=person.version,
    )


def slugify(text: str, fallback: str = "person") -> str:
    """A readable, stable id from a name: ``"Martha Díaz"`` -> ``"martha-diaz"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60] or fallback
