"""Evaluation: crosswire scored against gold, beside a baseline in the same run
(`crosswire eval NAME`). `scoring` holds the shared counting (precision, recall, F1, spans);
one module per metric."""
