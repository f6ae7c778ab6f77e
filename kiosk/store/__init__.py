"""The device's database, split by area; `Store` is the one object the rest of the code holds."""
from kiosk.store.database import Store, StoreError

__all__ = ["Store", "StoreError"]
