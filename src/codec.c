/* placeholder: to be written */
#include "config.h"
typedef int codec_placeholder;
