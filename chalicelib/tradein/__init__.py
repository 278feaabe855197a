"""Trade-in: shoppers sell their old device to partner refurbishers for an instant offer."""
