"""What services tell each other about a person without importing each other: hooks declared
here (below every service), provided by the service that knows (``core.registry.Hooks``)."""

from tisserand.core.registry import Hooks

person_hooks = Hooks("personnes")

# next_appointment(person, structure) -> a French sentence describing the person's next
# appointment with that structure, or "" (provided by the appointments app).
NEXT_APPOINTMENT = "next_appointment"
person_hooks.declare(NEXT_APPOINTMENT, lambda person, structure: "")
