/* placeholder: to be written */
#include "config.h"
typedef int privs_placeholder;
