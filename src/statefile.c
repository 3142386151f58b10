/* placeholder: to be written */
#include "config.h"
typedef int statefile_placeholder;
