(* printf.ml — module Printf: formatted output, as OCaml 4.13's
   stdlib/printf.ml and the printing half of camlinternalFormat.ml.

   The type checker has already checked every format against its
   arguments (compiler/tc_format.c); at run time a format is its string,
   read again here with the same rules (legacy mode). Reading it builds the
   curried function that takes the arguments, one closure per argument,
   and accumulates the output; the output happens once the last argument
   is given, in order, %a and %t printers included. *)

include (struct

external magic : 'a -> 'b = "%identity"
external format_int : string -> int -> string = "nml_format_int"
external format_float : string -> float -> string = "nml_format_float"

type any

(* The output accumulated until the last argument, newest first. *)
type piece =
  | Lit of string
  | Alpha of any * any  (* %a: the printer and its argument *)
  | Theta of any        (* %t: the printer *)
  | Flush               (* %! *)
  | Invalid             (* %_x: Printf rejects it once the output happens *)

type padty = Left | Right | Zeros

(* A padding or a precision: none, a literal, or a `*` argument. *)
type width = No_width | Lit_width of padty * int | Arg_width of padty

(* Padding (camlinternalFormat's fix_padding). *)
let fix_padding padty width str =
  let len = String.length str in
  let padty = if width < 0 then Left else padty in
  let width = abs width in
  if width <= len then str else begin
    let res = Bytes.make width (if padty = Zeros then '0' else ' ') in
    (match padty with
     | Left -> Bytes.blit_string str 0 res 0 len
     | Right -> Bytes.blit_string str 0 res (width - len) len
     | Zeros ->
       if len > 0 && (str.[0] = '+' || str.[0] = '-' || str.[0] = ' ') then begin
         Bytes.set res 0 str.[0];
         Bytes.blit_string str 1 res (width - len + 1) (len - 1)
       end else if len > 1 && str.[0] = '0' && (str.[1] = 'x' || str.[1] = 'X') then begin
         Bytes.set res 1 str.[1];
         Bytes.blit_string str 2 res (width - len + 2) (len - 2)
       end else
         Bytes.blit_string str 0 res (width - len) len);
    Bytes.unsafe_to_string res
  end

(* Zeros up to prec digits for integers (fix_int_precision). *)
let fix_int_precision prec str =
  let prec = abs prec in
  let len = String.length str in
  match str.[0] with
  | ('+' | '-' | ' ') as c when prec + 1 > len ->
    let res = Bytes.make (prec + 1) '0' in
    Bytes.set res 0 c;
    Bytes.blit_string str 1 res (prec - len + 2) (len - 1);
    Bytes.unsafe_to_string res
  | '0' when prec + 2 > len && len > 1 && (str.[1] = 'x' || str.[1] = 'X') ->
    let res = Bytes.make (prec + 2) '0' in
    Bytes.set res 1 str.[1];
    Bytes.blit_string str 2 res (prec - len + 4) (len - 2);
    Bytes.unsafe_to_string res
  | '0' .. '9' | 'a' .. 'f' | 'A' .. 'F' when prec > len ->
    let res = Bytes.make prec '0' in
    Bytes.blit_string str 0 res (prec - len) len;
    Bytes.unsafe_to_string res
  | _ -> str

(* %#d: digits grouped by three with '_' (transform_int_alt). *)
let group_digits s =
  let digits = ref 0 in
  String.iter (fun c -> if c >= '0' && c <= '9' then incr digits) s;
  let buf = Bytes.create (String.length s + (!digits - 1) / 3) in
  let pos = ref 0 in
  let put c = Bytes.set buf !pos c; incr pos in
  let left = ref ((!digits - 1) mod 3 + 1) in
  String.iter (fun c ->
      if c >= '0' && c <= '9' then begin
        if !left = 0 then (put '_'; left := 3);
        decr left;
        put c
      end else put c) s;
  Bytes.unsafe_to_string buf

(* The flags of one conversion. *)
type flags = { plus : bool; space : bool; hash : bool }

let convert_int fl symb n =
  let conv = if symb = 'u' || symb = 'x' || symb = 'X' || symb = 'o' then
      (if fl.hash && symb <> 'u' then "%#" else "%") ^ String.make 1 symb
    else if fl.hash && not fl.plus && not fl.space then "%" ^ String.make 1 symb
    else if fl.plus then "%+" ^ String.make 1 symb
    else if fl.space then "% " ^ String.make 1 symb
    else "%" ^ String.make 1 symb in
  let s = format_int conv n in
  if fl.hash && not fl.plus && not fl.space && (symb = 'd' || symb = 'i' || symb = 'u')
  then group_digits s else s

let add_dot_if_needed str =
  let len = String.length str in
  let rec is_valid i =
    if i = len then false else
      match str.[i] with
      | '.' | 'e' | 'E' -> true
      | _ -> is_valid (i + 1) in
  if is_valid 0 then str else str ^ "."

let convert_float fl symb prec x =
  let prec = abs prec in
  let c = match symb with 'F' -> 'g' | 'h' -> 'a' | 'H' -> 'A' | c -> c in
  let flag = if fl.plus then "+" else if fl.space then " " else "" in
  let str = format_float ("%" ^ flag ^ "." ^ string_of_int prec ^ String.make 1 c) x in
  if symb <> 'F' then str else
    match classify_float x with
    | FP_infinite -> if x < 0.0 then "neg_infinity" else "infinity"
    | FP_nan -> "nan"
    | _ -> add_dot_if_needed str

let caml_string s = "\"" ^ String.escaped s ^ "\""
let caml_char c = "'" ^ Char.escaped c ^ "'"

(* Reading the format. *)

let rec parse_int s i n =
  if i < String.length s && s.[i] >= '0' && s.[i] <= '9'
  then parse_int s (i + 1) (n * 10 + Char.code s.[i] - 48)
  else (i, n)

(* Takes a `*` argument when w asks for one, then goes on with the width. *)
let with_width w (f : width -> any) : any =
  match w with
  | Arg_width padty -> magic (fun (n : int) -> f (Lit_width (padty, n)))
  | _ -> f w

let apply_padding w str =
  match w with
  | Lit_width (padty, n) -> fix_padding padty n str
  | _ -> str

let rec scan fmt i lit acc (k : piece list -> any) : any =
  let len = String.length fmt in
  if i >= len then k (add_lit fmt lit i acc)
  else if String.unsafe_get fmt i <> '%' then scan fmt (i + 1) lit acc k
  else conversion fmt i (add_lit fmt lit i acc) k

and add_lit fmt lit i acc =
  if i > lit then Lit (String.sub fmt lit (i - lit)) :: acc else acc

and conversion fmt pct acc k =
  let i = pct + 1 in
  let ign = fmt.[i] = '_' in
  let i = if ign then i + 1 else i in
  let zero = ref false and minus = ref false and plus = ref false
  and space = ref false and hash = ref false in
  let rec flags i =
    match fmt.[i] with
    | '0' -> zero := true; flags (i + 1)
    | '-' -> minus := true; flags (i + 1)
    | '+' -> plus := true; flags (i + 1)
    | ' ' -> space := true; flags (i + 1)
    | '#' -> hash := true; flags (i + 1)
    | _ -> i in
  let i = flags i in
  let padty = if !minus then Left else if !zero then Zeros else Right in
  let i, pad =
    match fmt.[i] with
    | '0' .. '9' -> let i, n = parse_int fmt i 0 in (i, Lit_width (padty, n))
    | '*' -> (i + 1, Arg_width padty)
    | _ -> if padty = Zeros then (i, Lit_width (Right, 0)) else (i, No_width) in
  let i, prec =
    if fmt.[i] <> '.' then (i, No_width) else
      match fmt.[i + 1] with
      | '0' .. '9' -> let i, n = parse_int fmt (i + 1) 0 in (i, Lit_width (Right, n))
      | '+' | '-' -> let i, n = parse_int fmt (i + 2) 0 in (i, Lit_width (Right, n))
      | '*' -> (i + 2, Arg_width Right)
      | _ -> (i + 1, Lit_width (Right, 0)) in
  let symb = fmt.[i] in
  let next = i + 1 in
  let fl = { plus = !plus; space = !space; hash = !hash } in
  let continue_with pieces next = scan fmt next next (pieces @ acc) k in
  let emit next str = scan fmt next next (Lit str :: acc) k in
  (* %s-like: a precision stands for a missing padding; no '0' padding *)
  let padprec () =
    let w = match pad, prec with
      | No_width, Lit_width (_, n) -> Lit_width ((if !minus then Left else Right), n)
      | No_width, Arg_width _ -> Arg_width (if !minus then Left else Right)
      | _ -> pad in
    match w with
    | Lit_width (Zeros, n) -> Lit_width (Right, n)
    | Arg_width Zeros -> Arg_width Right
    | w -> w in
  let padded w (conv : any -> string) =
    with_width w (fun w -> magic (fun x -> emit next (apply_padding w (conv x)))) in
  (* ints and floats: padding, then precision, then the value *)
  let padprec_conv next (conv : int -> any -> string) default_prec int_like =
    let pad = match pad, prec with
      | Lit_width (Zeros, n), (Lit_width _ | Arg_width _) when int_like -> Lit_width (Right, n)
      | Arg_width Zeros, (Lit_width _ | Arg_width _) when int_like -> Arg_width Right
      | _ -> pad in
    with_width pad (fun pad ->
        with_width prec (fun prec ->
            magic (fun x ->
                let p = match prec with Lit_width (_, p) -> p | _ -> default_prec in
                let s = conv p x in
                let s = if int_like && prec <> No_width then fix_int_precision p s else s in
                emit next (apply_padding pad s)))) in
  if ign then begin
    (* %_x: no argument, no output *)
    let next = if (symb = 'l' || symb = 'n' || symb = 'L') && next < String.length fmt
                  && String.contains "dixXou" fmt.[next] then next + 1 else next in
    scan fmt next next (Invalid :: acc) k
  end else
  match symb with
  | '%' | '@' -> emit next (String.make 1 symb)
  | ',' -> scan fmt next next acc k
  | '!' -> continue_with [Flush] next
  | 'c' -> magic (fun (c : char) -> emit next (String.make 1 c))
  | 'C' -> magic (fun (c : char) -> emit next (caml_char c))
  | 's' -> padded (padprec ()) (fun x -> (magic x : string))
  | 'S' -> padded (padprec ()) (fun x -> caml_string (magic x))
  | 'b' | 'B' -> padded (padprec ()) (fun x -> string_of_bool (magic x))
  | 'd' | 'i' | 'x' | 'X' | 'o' | 'u' ->
    padprec_conv next (fun _ x -> convert_int fl symb (magic x)) 0 true
  | ('l' | 'n' | 'L') when next < String.length fmt && String.contains "dixXou" fmt.[next] ->
    let c = fmt.[next] in
    padprec_conv (next + 1) (fun _ x -> convert_int fl c (magic x)) 0 true
  | 'l' | 'n' | 'L' | 'N' -> magic (fun (n : int) -> emit next (format_int "%u" n))
  | 'f' | 'e' | 'E' | 'g' | 'G' | 'F' | 'h' | 'H' ->
    padprec_conv next (fun p x -> convert_float fl symb p (magic x))
      (if symb = 'F' then 12 else 6) false
  | 'a' ->
    magic (fun (f : any) -> magic (fun (x : any) -> continue_with [Alpha (f, x)] next))
  | 't' -> magic (fun (f : any) -> continue_with [Theta f] next)
  | _ -> failwith "Printf: bad format"

let run (fmt : ('a, 'b, 'c, 'd, 'e, 'f) format6) (k : piece list -> any) : 'a =
  magic (scan (string_of_format fmt) 0 0 [] k)

let rec output_acc oc acc =
  match acc with
  | [] -> ()
  | p :: rest ->
    output_acc oc rest;
    match p with
    | Lit s -> output_string oc s
    | Alpha (f, x) -> (magic f : out_channel -> any -> unit) oc x
    | Theta f -> (magic f : out_channel -> unit) oc
    | Flush -> flush oc
    | Invalid -> invalid_arg "Printf: bad conversion %_"

let rec buffer_acc b acc =
  match acc with
  | [] -> ()
  | p :: rest ->
    buffer_acc b rest;
    match p with
    | Lit s -> Buffer.add_string b s
    | Alpha (f, x) -> (magic f : Buffer.t -> any -> unit) b x
    | Theta f -> (magic f : Buffer.t -> unit) b
    | Flush -> ()
    | Invalid -> invalid_arg "Printf: bad conversion %_"

let rec string_acc b acc =
  match acc with
  | [] -> ()
  | p :: rest ->
    string_acc b rest;
    match p with
    | Lit s -> Buffer.add_string b s
    | Alpha (f, x) -> Buffer.add_string b ((magic f : unit -> any -> string) () x)
    | Theta f -> Buffer.add_string b ((magic f : unit -> string) ())
    | Flush -> ()
    | Invalid -> invalid_arg "Printf: bad conversion %_"

let string_of_acc acc =
  let b = Buffer.create 64 in
  string_acc b acc;
  Buffer.contents b

let kfprintf (k : out_channel -> 'd) (oc : out_channel)
    (fmt : ('b, out_channel, unit, 'd) format4) : 'b =
  run fmt (fun acc -> output_acc oc acc; magic (k oc))

let kbprintf (k : Buffer.t -> 'd) (b : Buffer.t)
    (fmt : ('b, Buffer.t, unit, 'd) format4) : 'b =
  run fmt (fun acc -> buffer_acc b acc; magic (k b))

let ikfprintf (k : 'b -> 'd) (x : 'b) (fmt : ('a, 'b, 'c, 'd) format4) : 'a =
  run fmt (fun _ -> magic (k x))

let ikbprintf (k : Buffer.t -> 'd) (b : Buffer.t)
    (fmt : ('b, Buffer.t, unit, 'd) format4) : 'b =
  run fmt (fun _ -> magic (k b))

let fprintf (oc : out_channel) (fmt : ('a, out_channel, unit) format) : 'a =
  run fmt (fun acc -> output_acc oc acc; magic ())

let bprintf (b : Buffer.t) (fmt : ('a, Buffer.t, unit) format) : 'a =
  run fmt (fun acc -> buffer_acc b acc; magic ())

let ifprintf (x : 'b) (fmt : ('a, 'b, 'c, unit) format4) : 'a =
  ignore x;
  run fmt (fun _ -> magic ())

let ibprintf (b : Buffer.t) (fmt : ('a, Buffer.t, unit) format) : 'a =
  ignore b;
  run fmt (fun _ -> magic ())

let printf (fmt : ('a, out_channel, unit) format) : 'a = fprintf stdout fmt
let eprintf (fmt : ('a, out_channel, unit) format) : 'a = fprintf stderr fmt

let ksprintf (k : string -> 'd) (fmt : ('b, unit, string, 'd) format4) : 'b =
  run fmt (fun acc -> magic (k (string_of_acc acc)))

let sprintf (fmt : ('a, unit, string) format) : 'a =
  run fmt (fun acc -> magic (string_of_acc acc))

let kprintf = ksprintf

end : sig
val fprintf : out_channel -> ('a, out_channel, unit) format -> 'a
val printf : ('a, out_channel, unit) format -> 'a
val eprintf : ('a, out_channel, unit) format -> 'a
val sprintf : ('a, unit, string) format -> 'a
val bprintf : Buffer.t -> ('a, Buffer.t, unit) format -> 'a
val ifprintf : 'b -> ('a, 'b, 'c, unit) format4 -> 'a
val ibprintf : Buffer.t -> ('a, Buffer.t, unit) format -> 'a
val kfprintf : (out_channel -> 'd) -> out_channel ->
               ('a, out_channel, unit, 'd) format4 -> 'a
val ikfprintf : ('b -> 'd) -> 'b -> ('a, 'b, 'c, 'd) format4 -> 'a
val ksprintf : (string -> 'd) -> ('a, unit, string, 'd) format4 -> 'a
val kbprintf : (Buffer.t -> 'd) -> Buffer.t ->
               ('a, Buffer.t, unit, 'd) format4 -> 'a
val ikbprintf : (Buffer.t -> 'd) -> Buffer.t ->
                ('a, Buffer.t, unit, 'd) format4 -> 'a
val kprintf : (string -> 'b) -> ('a, unit, string, 'b) format4 -> 'a
end)
