//! Data tables the rules read (published dates, limits), kept apart from the rule logic.
