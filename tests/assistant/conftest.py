"""The assistant's tests share one trained classifier, cached in a folder of their own."""

import os
import tempfile

os.environ.setdefault("PARCELCARE_MODEL_CACHE", os.path.join(tempfile.gettempdir(), "pc-models"))
