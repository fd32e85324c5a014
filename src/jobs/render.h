/*
 * render.h - filling an answer-sheet template from an expression file.
 *
 * The public entry is gb_render (include/gradbox.h): run the file
 * (jobs/run.c), give each slot of the template (output/template.c) the
 * LaTeX of the answers bound to it, in order, and fill. A stand-in
 * answer (an `else` statement used because the one before it failed) is
 * marked in its box with the reason. Nothing is returned unless every
 * statement ran and every slot has an answer.
 */
#ifndef GB_RENDER_H
#define GB_RENDER_H

#include "gradbox.h"

#endif /* GB_RENDER_H */
