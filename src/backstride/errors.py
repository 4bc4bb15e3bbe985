"""Typed errors: every failure a user can cause is a BackstrideError with a message that
says what was wrong and what was expected. Shells map them to exit code 2 / HTTP 4xx."""


class BackstrideError(Exception):
    """Base of every error a user may see; `str(err)` is the one-line message."""


class InputError(BackstrideError):
    """A value, file or form the user supplied is invalid (names the field and expectation)."""


class KnowledgeBaseError(BackstrideError):
    """The knowledge base failed to load or validate (names file, record and field)."""


class IngestError(BackstrideError):
    """An activity file could not be read (names the file and what was wrong)."""


class NotActivityFileError(IngestError):
    """The file is not in any supported activity format."""


class CorruptFileError(IngestError):
    """The file claims a supported format but is broken beyond salvage."""


class OversizedInputError(IngestError):
    """An upload, archive or archive entry exceeds the configured size limits."""


class StorageError(BackstrideError):
    """The data store could not be opened, migrated or written."""


class NotFoundError(BackstrideError):
    """A requested record (activity, diary entry, knowledge-base id) does not exist."""
