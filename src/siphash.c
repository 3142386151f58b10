/* placeholder: to be written */
#include "config.h"
typedef int siphash_placeholder;
