"""Talent safety beyond the gate: concerns reported by anyone, the admins' safeguarding queue, suspending a
production (and reinstating it, four eyes), and the national company registry links shown to talent."""
