/* placeholder: to be written */
#include "config.h"
typedef int ncache_placeholder;
