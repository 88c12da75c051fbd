"""Field names of the ``media`` resource (JSON:API type ``media``): an uploaded file, such as a tier image.

Usage: ``fields = {'media': [media.Attributes.download_url, media.Attributes.image_urls]}``
"""

__all__ = ['Attributes', 'Relationships']


class Attributes(object):
    """Attribute names of a ``media`` resource."""

    file_name = 'file_name'
    size_bytes = 'size_bytes'
    mimetype = 'mimetype'
    state = 'state'
    owner_type = 'owner_type'
    owner_id = 'owner_id'
    owner_relationship = 'owner_relationship'
    upload_expires_at = 'upload_expires_at'
    upload_url = 'upload_url'
    upload_parameters = 'upload_parameters'
    download_url = 'download_url'
    created_at = 'created_at'
    metadata = 'metadata'
    image_urls = 'image_urls'


class Relationships(object):
    """Media has no relationships; the class exists so that every schema has the same shape."""
