"""Reading-level check: syllables, sentences, formulas, plain-language rules located on the
source, the PEMAT items a program can judge, and the reports (terminal, JSON, HTML).

Import the modules themselves (`readability.report`, `readability.html_report`): this package
imports nothing, so a build that is up to date never loads the check."""
