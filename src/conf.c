/* placeholder: to be written */
#include "config.h"
typedef int conf_placeholder;
