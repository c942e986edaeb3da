// Package regression holds hw1pipe's regression goldens and their test:
// small.json, what the whole pipeline writes on small data (small.yaml),
// and full.json, what the full-size run writes (full.yaml). The test runs
// the small configuration, or reads a finished full-size run, and compares
// every stage's outputs with the golden through package regress; -update
// rewrites the golden. README.md has the commands.
package regression
