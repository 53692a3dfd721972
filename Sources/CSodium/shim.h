#ifndef DEBT_VAULT_CSODIUM_SHIM_H
#define DEBT_VAULT_CSODIUM_SHIM_H
#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>

/* prctl is variadic and cannot be called from Swift directly. */
static inline int dv_disable_dumpable(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }
static inline int dv_is_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0); }
#endif
