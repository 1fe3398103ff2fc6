"""Documents built from evaluations: the Word notice (通报) of a round."""
