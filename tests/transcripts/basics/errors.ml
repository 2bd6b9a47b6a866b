let x = 1 + "a";;
let y = 2;;
y + 1;;
undefined_thing;;
let = 5;;
1 2;;
y;;
