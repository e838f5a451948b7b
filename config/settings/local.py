"""A laptop (`make run`): served like production — DEBUG off unless DJANGO_DEBUG=1, static
files by WhiteNoise, the Chinese error pages — but without collectstatic."""

import warnings

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# WhiteNoise serves the apps' and static/ files as they are, so no collectstatic is needed;
# STATIC_ROOT usually does not exist here, which is fine.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)
