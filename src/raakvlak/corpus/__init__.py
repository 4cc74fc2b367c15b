"""The corpus: canonical documents, their structure, import and segmentation."""

from raakvlak.corpus.canonical import canonicalise, fingerprint
from raakvlak.corpus.corpus import Corpus

__all__ = ["Corpus", "canonicalise", "fingerprint"]
