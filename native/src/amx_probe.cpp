// Exits 0 when AMX tile instructions run here as ggml issues them (native/build.sh checks this before
// a build tuned for the machine uses AMX). Built with -O3, as ggml is: GCC 12 then drops the stores
// that fill a zero-initialised tile configuration before ldtilecfg reads it, and the first tile
// instruction faults. Some virtual machines also advertise AMX and fault on it.
#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

namespace {

struct tile_config {
    uint8_t palette_id;
    uint8_t start_row;
    uint8_t reserved[14];
    uint16_t colsb[16];
    uint8_t rows[16];
};

}  // namespace

int main() {
    // Linux hands out the tile state only on request (arch_prctl ARCH_REQ_XCOMP_PERM, XTILEDATA).
    if (syscall(SYS_arch_prctl, 0x1023, 18) != 0) {
        return 1;
    }
    alignas(64) tile_config config = {};
    config.palette_id = 1;
    config.rows[4] = 16;
    config.colsb[4] = 64;
    _tile_loadconfig(&config);
    _tile_zero(4);
    _tile_release();
    return 0;
}
