/* placeholder: to be written */
#include "config.h"
typedef int capture_placeholder;
