"""Access to the platform: API keys with their scopes, and the rate limits on them."""
