/*
 * api.h - helpers shared by the files of the public façade (src/api/).
 */
#ifndef GB_API_H
#define GB_API_H

#include "gradbox.h"

/* Installs what lowering needs from higher stages (the diff hook). */
void gb_api_prepare(gb_ctx *ctx);

/* The context's sticky status if set, else fallback. */
gb_status gb_api_failed(gb_ctx *ctx, gb_status fallback);

#endif /* GB_API_H */
