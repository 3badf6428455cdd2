"""Field inspection (Qt-free): users and roles, checklist templates, the form model, inspections, defects, plans.

Every command takes a :class:`nibi_desk.context.Context` whose ``user`` is the signed-in :class:`~.users.Session`,
checks the role rules itself (:func:`~.users.require`) and writes through the registry's one writer, so that each
action is versioned and audited under the user's login. Read functions take a sqlite3 connection.
"""
