"""The shopper's cart: offers of many refurbishers, checked against the catalog on every view."""
