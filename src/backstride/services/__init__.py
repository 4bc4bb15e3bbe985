"""Use cases: the one layer where storage, files and the pure core meet.

One module per area (assessment, imports, analysis, tracking, plans), so each use case
owns its transaction through `storage.db.session_scope`.
"""
