/* placeholder: to be written */
#include "config.h"
typedef int log_placeholder;
