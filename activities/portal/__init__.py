"""The activities app's pages of the city portal ("My city"): views, forms, URLs."""
