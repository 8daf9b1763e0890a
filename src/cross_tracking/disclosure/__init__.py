"""Disclosure control (R9): the attacker's system, the attack and the audit."""
