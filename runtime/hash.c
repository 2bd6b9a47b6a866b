/* hash.c — OCaml's generic hash (runtime/hash.c, caml_hash): a breadth-
 * first walk of at most `limit` values, of which at most `count` are
 * meaningful, mixed with MurmurHash3 steps. Hashtbl.hash is
 * hash_param 10 100 0 and yields the same numbers as OCaml 4.13's on ints,
 * strings, floats and structured data.
 */
#include <string.h>
#include "rt_internal.h"

#define ROTL32(x, n) ((x) << (n) | (x) >> (32 - (n)))

static uint32_t mix(uint32_t h, uint32_t d) {
  d *= 0xcc9e2d51;
  d = ROTL32(d, 15);
  d *= 0x1b873593;
  h ^= d;
  h = ROTL32(h, 13);
  return h * 5 + 0xe6546b64;
}

static uint32_t final_mix(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return h;
}

/* Mixes a word so that words in [-2^31, 2^31) hash as on 32-bit hosts. */
static uint32_t mix_intnat(uint32_t h, intptr_t d) {
  uint32_t n = (uint32_t)((d >> 32) ^ (d >> 63) ^ d);
  return mix(h, n);
}

static uint32_t mix_double(uint32_t hash, double d) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  uint32_t h = (uint32_t)(bits >> 32), l = (uint32_t)bits;
  if ((h & 0x7FF00000) == 0x7FF00000 && (l | (h & 0xFFFFF)) != 0) {
    h = 0x7FF00000; /* all nans hash alike */
    l = 0x00000001;
  } else if (h == 0x80000000 && l == 0) {
    h = 0; /* -0. hashes as 0. */
  }
  hash = mix(hash, l);
  return mix(hash, h);
}

static uint32_t mix_string(uint32_t h, value s) {
  mlsize_t len = nml_string_length(s);
  const unsigned char *p = Bytes_val(s);
  mlsize_t i;
  uint32_t w;
  for (i = 0; i + 4 <= len; i += 4) {
    w = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 | (uint32_t)p[i + 3] << 24;
    h = mix(h, w);
  }
  w = 0;
  switch (len & 3) {
  case 3: w = (uint32_t)p[i + 2] << 16; /* fallthrough */
  case 2: w |= (uint32_t)p[i + 1] << 8; /* fallthrough */
  case 1:
    w |= p[i];
    h = mix(h, w);
    break;
  default: break;
  }
  return h ^ (uint32_t)len;
}

#define HASH_QUEUE_SIZE 256

/* Hashtbl.seeded_hash_param count limit seed obj. */
value nml_hashtbl_hash(value count, value limit, value seed, value obj) {
  value queue[HASH_QUEUE_SIZE];
  intptr_t rd = 0, wr = 1;
  intptr_t sz = Long_val(limit);
  if (sz < 0 || sz > HASH_QUEUE_SIZE) sz = HASH_QUEUE_SIZE;
  intptr_t num = Long_val(count);
  uint32_t h = (uint32_t)Long_val(seed);
  queue[0] = obj;
  while (rd < wr && num > 0) {
    value v = queue[rd++];
    if (Is_long(v)) {
      h = mix_intnat(h, v);
      num--;
      continue;
    }
    mlsize_t len = Wosize_val(v);
    switch (Tag_val(v)) {
    case String_tag:
      h = mix_string(h, v);
      num--;
      break;
    case Double_tag:
      h = mix_double(h, Double_val(v));
      num--;
      break;
    case Double_array_tag:
      for (mlsize_t i = 0; i < len && num > 0; i++, num--) h = mix_double(h, Double_field(v, i));
      break;
    case Abstract_tag:
    case Custom_tag: break;
    case Object_tag:
      h = mix_intnat(h, Long_val(Field(v, 1)));
      num--;
      break;
    case Closure_tag: {
      /* Code pointer and arity count; the environment is walked. */
      h = mix(h, (uint32_t)(Hd_val(v) & ~(header_t)0x300));
      mlsize_t i = 0;
      for (; i < Closure_env_start && i < len; i++, num--) h = mix_intnat(h, Field(v, i));
      for (; i < len && wr < sz; i++) queue[wr++] = Field(v, i);
      break;
    }
    default:
      /* Tag and size count for nothing towards num. */
      h = mix(h, (uint32_t)(Hd_val(v) & ~(header_t)0x300));
      for (mlsize_t i = 0; i < len && wr < sz; i++) queue[wr++] = Field(v, i);
      break;
    }
  }
  h = final_mix(h);
  return Val_long(h & 0x3FFFFFFFU);
}
