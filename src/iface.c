/* placeholder: to be written */
#include "config.h"
typedef int iface_placeholder;
