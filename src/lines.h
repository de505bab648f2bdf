/* The lines of a -f file: one connection each, as the command line names it. */
#ifndef TCPDROP_LINES_H
#define TCPDROP_LINES_H

/*
 * Split a line into its operands, in place: a '#' starts a comment, words
 * are separated by blanks, and a leading "tcpdrop" (as -l prints) is
 * skipped.  Stores at most `most` operands and returns how many words there
 * were, so that a count above `most` means too many.
 */
int line_operands(char *line, char *operands[], int most);

#endif
