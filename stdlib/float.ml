(* float.ml — module Float: floating-point numbers, as OCaml 4.13's
   stdlib/float.ml over the runtime's boxed-float primitives (floats.c).
   No Float.Array: natml has no flat float arrays. *)

(* The signature is OCaml's interface (labels dropped), so that types
   print as OCaml prints them and helpers stay hidden. *)
include (struct


external neg : float -> float = "%negfloat"
external add : float -> float -> float = "%addfloat"
external sub : float -> float -> float = "%subfloat"
external mul : float -> float -> float = "%mulfloat"
external div : float -> float -> float = "%divfloat"
external rem : float -> float -> float = "nml_float_fmod"
external fma : float -> float -> float -> float = "nml_float_fma"
external abs : float -> float = "%absfloat"

let zero = 0.
let one = 1.
let minus_one = -1.
let infinity = Stdlib.infinity
let neg_infinity = Stdlib.neg_infinity
let nan = Stdlib.nan
let is_finite (x: float) = x -. x = 0.
let is_infinite (x: float) = 1. /. x = 0.
let is_nan (x: float) = x <> x

let pi = 3.141592653589793
let max_float = Stdlib.max_float
let min_float = Stdlib.min_float
let epsilon = Stdlib.epsilon_float
external of_int : int -> float = "%floatofint"
external to_int : float -> int = "%intoffloat"
external of_string : string -> float = "nml_float_of_string"
let of_string_opt = Stdlib.float_of_string_opt
let to_string = Stdlib.string_of_float
type fpclass = Stdlib.fpclass =
    FP_normal
  | FP_subnormal
  | FP_zero
  | FP_infinite
  | FP_nan
external classify_float : float -> fpclass = "nml_float_classify"
external pow : float -> float -> float = "nml_float_pow"
external sqrt : float -> float = "nml_float_sqrt"
external cbrt : float -> float = "nml_float_cbrt"
external exp : float -> float = "nml_float_exp"
external exp2 : float -> float = "nml_float_exp2"
external log : float -> float = "nml_float_log"
external log10 : float -> float = "nml_float_log10"
external log2 : float -> float = "nml_float_log2"
external expm1 : float -> float = "nml_float_expm1"
external log1p : float -> float = "nml_float_log1p"
external cos : float -> float = "nml_float_cos"
external sin : float -> float = "nml_float_sin"
external tan : float -> float = "nml_float_tan"
external acos : float -> float = "nml_float_acos"
external asin : float -> float = "nml_float_asin"
external atan : float -> float = "nml_float_atan"
external atan2 : float -> float -> float = "nml_float_atan2"
external hypot : float -> float -> float = "nml_float_hypot"
external cosh : float -> float = "nml_float_cosh"
external sinh : float -> float = "nml_float_sinh"
external tanh : float -> float = "nml_float_tanh"
external acosh : float -> float = "nml_float_acosh"
external asinh : float -> float = "nml_float_asinh"
external atanh : float -> float = "nml_float_atanh"
external erf : float -> float = "nml_float_erf"
external erfc : float -> float = "nml_float_erfc"
external trunc : float -> float = "nml_float_trunc"
external round : float -> float = "nml_float_round"
external ceil : float -> float = "nml_float_ceil"
external floor : float -> float = "nml_float_floor"

let is_integer x = x = trunc x && is_finite x

external next_after : float -> float -> float = "nml_float_nextafter"

let succ x = next_after x infinity
let pred x = next_after x neg_infinity

external copy_sign : float -> float -> float = "nml_float_copysign"
external sign_bit : float -> bool = "nml_float_sign_bit"

external frexp : float -> float * int = "nml_float_frexp"
external ldexp : float -> int -> float = "nml_float_ldexp"
external modf : float -> float * float = "nml_float_modf"
type t = float
external compare : float -> float -> int = "nml_float_compare"
let equal x y = compare x y = 0

let min (x: float) (y: float) =
  if y > x || (not(sign_bit y) && sign_bit x) then
    if is_nan y then y else x
  else if is_nan x then x else y

let max (x: float) (y: float) =
  if y > x || (not(sign_bit y) && sign_bit x) then
    if is_nan x then x else y
  else if is_nan y then y else x

let min_max (x: float) (y: float) =
  if is_nan x || is_nan y then (nan, nan)
  else if y > x || (not(sign_bit y) && sign_bit x) then (x, y) else (y, x)

let min_num (x: float) (y: float) =
  if y > x || (not(sign_bit y) && sign_bit x) then
    if is_nan x then y else x
  else if is_nan y then x else y

let max_num (x: float) (y: float) =
  if y > x || (not(sign_bit y) && sign_bit x) then
    if is_nan y then x else y
  else if is_nan x then y else x

let min_max_num (x: float) (y: float) =
  if is_nan x then (y,y)
  else if is_nan y then (x,x)
  else if y > x || (not(sign_bit y) && sign_bit x) then (x,y) else (y,x)

external seeded_hash_param : int -> int -> int -> float -> int
                           = "nml_hashtbl_hash"
let hash x = seeded_hash_param 10 100 0 x

end : sig
type fpclass = Stdlib.fpclass = FP_normal | FP_subnormal | FP_zero | FP_infinite | FP_nan
type t = float
val zero : float
val one : float
val minus_one : float
val neg : float -> float
val add : float -> float -> float
val sub : float -> float -> float
val mul : float -> float -> float
val div : float -> float -> float
val fma : float -> float -> float -> float
val rem : float -> float -> float
val succ : float -> float
val pred : float -> float
val abs : float -> float
val infinity : float
val neg_infinity : float
val nan : float
val pi : float
val max_float : float
val min_float : float
val epsilon : float
val is_finite : float -> bool
val is_infinite : float -> bool
val is_nan : float -> bool
val is_integer : float -> bool
val of_int : int -> float
val to_int : float -> int
val of_string : string -> float
val of_string_opt : string -> float option
val to_string : float -> string
val classify_float : (float ) -> fpclass
val pow : float -> float -> float
val sqrt : float -> float
val cbrt : float -> float
val exp : float -> float
val exp2 : float -> float
val log : float -> float
val log10 : float -> float
val log2 : float -> float
val expm1 : float -> float
val log1p : float -> float
val cos : float -> float
val sin : float -> float
val tan : float -> float
val acos : float -> float
val asin : float -> float
val atan : float -> float
val atan2 : float -> float -> float
val hypot : float -> float -> float
val cosh : float -> float
val sinh : float -> float
val tanh : float -> float
val acosh : float -> float
val asinh : float -> float
val atanh : float -> float
val erf : float -> float
val erfc : float -> float
val trunc : float -> float
val round : float -> float
val ceil : float -> float
val floor : float -> float
val next_after : float -> float -> float
val copy_sign : float -> float -> float
val sign_bit : (float ) -> bool
val frexp : float -> float * int
val ldexp : (float ) -> (int ) -> (float )
val modf : float -> float * float
val compare : t -> t -> int
val equal : t -> t -> bool
val min : t -> t -> t
val max : float -> float -> float
val min_max : float -> float -> float * float
val min_num : t -> t -> t
val max_num : t -> t -> t
val min_max_num : float -> float -> float * float
val hash : t -> int
end)
