# physr bench --plot: run in this directory with gnuplot
set terminal svg size 1100,600 dynamic font 'sans,11'
set output 'speedup.svg'
set title 'physr against the scatterlist baselines (thread CPU time, medians)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set logscale y
set yrange [0.01:*]
set format y '%g'
set bmargin 12
set rmargin 10
set grid ytics
set ylabel 'speed-up: baseline / physr'
set xtics rotate by -40 nomirror
set key top left
plot 'speedup.dat' using 2:xtic(1) title 'no device pagemap, P2PDMA off', \
     '' using 3 title '/pgmap: device pagemap, P2PDMA on'

reset
set terminal svg size 1100,700 dynamic font 'sans,11'
set output 'scaling.svg'
set title 'CPU time per GiB against buffer size (medians; dashed: baseline)'
set logscale xy 2
set format y '%g'
set grid
set xlabel 'buffer size (MiB)'
set ylabel 'ms per GiB'
set key outside right vertical
plot 'scaling.dat' index 0 using 1:2 with linespoints lc 1 pt 7 title 'build/contig', \
     'scaling.dat' index 0 using 1:3 with linespoints lc 1 dt 2 pt 6 title 'build/contig baseline', \
     'scaling.dat' index 1 using 1:2 with linespoints lc 2 pt 7 title 'build/2m', \
     'scaling.dat' index 1 using 1:3 with linespoints lc 2 dt 2 pt 6 title 'build/2m baseline', \
     'scaling.dat' index 2 using 1:2 with linespoints lc 3 pt 7 title 'build/4k', \
     'scaling.dat' index 2 using 1:3 with linespoints lc 3 dt 2 pt 6 title 'build/4k baseline', \
     'scaling.dat' index 3 using 1:2 with linespoints lc 4 pt 7 title 'iterate/4k', \
     'scaling.dat' index 3 using 1:3 with linespoints lc 4 dt 2 pt 6 title 'iterate/4k baseline', \
     'scaling.dat' index 4 using 1:2 with linespoints lc 5 pt 7 title 'pin/4k', \
     'scaling.dat' index 4 using 1:3 with linespoints lc 5 dt 2 pt 6 title 'pin/4k baseline', \
     'scaling.dat' index 5 using 1:2 with linespoints lc 6 pt 7 title 'pin/thp', \
     'scaling.dat' index 5 using 1:3 with linespoints lc 6 dt 2 pt 6 title 'pin/thp baseline', \
     'scaling.dat' index 6 using 1:2 with linespoints lc 7 pt 7 title 'pin/1g', \
     'scaling.dat' index 6 using 1:3 with linespoints lc 7 dt 2 pt 6 title 'pin/1g baseline', \
     'scaling.dat' index 7 using 1:2 with linespoints lc 8 pt 7 title 'iommu-map/2m', \
     'scaling.dat' index 7 using 1:3 with linespoints lc 8 dt 2 pt 6 title 'iommu-map/2m baseline', \
     'scaling.dat' index 8 using 1:2 with linespoints lc 9 pt 7 title 'iommu-map/4k', \
     'scaling.dat' index 8 using 1:3 with linespoints lc 9 dt 2 pt 6 title 'iommu-map/4k baseline'
