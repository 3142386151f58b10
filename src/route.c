/* placeholder: to be written */
#include "config.h"
typedef int route_placeholder;
