/* placeholder: to be written */
#include "config.h"
typedef int route_netlink_placeholder;
