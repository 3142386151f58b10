/* placeholder: to be written */
#include "config.h"
typedef int route_dnet_placeholder;
