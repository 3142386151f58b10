/* placeholder: to be written */
#include "config.h"
typedef int core_placeholder;
