"""The review area: the queue (``queue``) and the claim page (``claim``). URLs in ``review_urls``."""
