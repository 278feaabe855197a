"""Search that understands shoppers, in one DynamoDB request: words, typos, query plans."""
