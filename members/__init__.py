"""Member cities, regions, leaders, contacts, fees and invoices, board, agreements,
partners, portal accounts and roles."""
