"""Pages anyone can read: home, safety advice, the list of open calls."""
