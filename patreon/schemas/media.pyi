from typing import Final

__all__ = ['Attributes', 'Relationships']

class Attributes:
    file_name: Final = 'file_name'
    size_bytes: Final = 'size_bytes'
    mimetype: Final = 'mimetype'
    state: Final = 'state'
    owner_type: Final = 'owner_type'
    owner_id: Final = 'owner_id'
    owner_relationship: Final = 'owner_relationship'
    upload_expires_at: Final = 'upload_expires_at'
    upload_url: Final = 'upload_url'
    upload_parameters: Final = 'upload_parameters'
    download_url: Final = 'download_url'
    created_at: Final = 'created_at'
    metadata: Final = 'metadata'
    image_urls: Final = 'image_urls'

class Relationships: ...
