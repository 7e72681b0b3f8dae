"""Evidence of every run: screenshots and traces, results, logs, report, notification."""
