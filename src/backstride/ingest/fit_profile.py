"""FIT profile subset: message and field numbers, names, scales, offsets and enums.

Numbers and names are those of the Garmin FIT SDK profile (Profile.xlsx) for the
messages an activity needs; every other message or field is skipped by the decoder.
Each field entry is `number:name:scale:offset:kind` (kind `t` = date_time, `s` = string).
"""

from __future__ import annotations

from dataclasses import dataclass

_MESSAGES = {
    0: (
        "file_id",
        """
    0:type::: 1:manufacturer::: 2:product::: 3:serial_number::: 4:time_created:::t 5:number:::
    8:product_name:::s
""",
    ),
    12: (
        "sport",
        """
    0:sport::: 1:sub_sport::: 3:name:::s
""",
    ),
    18: (
        "session",
        """
    0:event::: 1:event_type::: 2:start_time:::t 3:start_position_lat::: 4:start_position_long:::
    5:sport::: 6:sub_sport::: 7:total_elapsed_time:1000:: 8:total_timer_time:1000::
    9:total_distance:100:: 10:total_cycles::: 11:total_calories::: 13:total_fat_calories:::
    14:avg_speed:1000:: 15:max_speed:1000:: 16:avg_heart_rate::: 17:max_heart_rate:::
    18:avg_cadence::: 19:max_cadence::: 20:avg_power::: 21:max_power::: 22:total_ascent:::
    23:total_descent::: 24:total_training_effect:10:: 25:first_lap_index::: 26:num_laps:::
    27:event_group::: 28:trigger::: 29:nec_lat::: 30:nec_long::: 31:swc_lat::: 32:swc_long:::
    33:num_lengths::: 34:normalized_power::: 35:training_stress_score:10::
    36:intensity_factor:1000:: 37:left_right_balance::: 38:end_position_lat:::
    39:end_position_long::: 41:avg_stroke_count:10:: 42:avg_stroke_distance:100::
    43:swim_stroke::: 44:pool_length:100:: 45:threshold_power::: 46:pool_length_unit:::
    47:num_active_lengths::: 48:total_work::: 49:avg_altitude:5:500: 50:max_altitude:5:500:
    51:gps_accuracy::: 52:avg_grade:100:: 53:avg_pos_grade:100:: 54:avg_neg_grade:100::
    55:max_pos_grade:100:: 56:max_neg_grade:100:: 57:avg_temperature::: 58:max_temperature:::
    59:total_moving_time:1000:: 60:avg_pos_vertical_speed:1000::
    61:avg_neg_vertical_speed:1000:: 62:max_pos_vertical_speed:1000::
    63:max_neg_vertical_speed:1000:: 64:min_heart_rate::: 65:time_in_hr_zone:1000::
    66:time_in_speed_zone:1000:: 67:time_in_cadence_zone:1000:: 68:time_in_power_zone:1000::
    69:avg_lap_time:1000:: 70:best_lap_index::: 71:min_altitude:5:500: 82:player_score:::
    83:opponent_score::: 84:opponent_name:::s 85:stroke_count::: 86:zone_count:::
    87:max_ball_speed:100:: 88:avg_ball_speed:100:: 89:avg_vertical_oscillation:10::
    90:avg_stance_time_percent:100:: 91:avg_stance_time:10:: 92:avg_fractional_cadence:128::
    93:max_fractional_cadence:128:: 94:total_fractional_cycles:128::
    95:avg_total_hemoglobin_conc:100:: 96:min_total_hemoglobin_conc:100::
    97:max_total_hemoglobin_conc:100:: 98:avg_saturated_hemoglobin_percent:10::
    99:min_saturated_hemoglobin_percent:10:: 100:max_saturated_hemoglobin_percent:10::
    101:avg_left_torque_effectiveness:2:: 102:avg_right_torque_effectiveness:2::
    103:avg_left_pedal_smoothness:2:: 104:avg_right_pedal_smoothness:2::
    105:avg_combined_pedal_smoothness:2:: 110:sport_profile_name:::s 111:sport_index:::
    112:time_standing:1000:: 113:stand_count::: 114:avg_left_pco::: 115:avg_right_pco:::
    116:avg_left_power_phase:0.7111111:: 117:avg_left_power_phase_peak:0.7111111::
    118:avg_right_power_phase:0.7111111:: 119:avg_right_power_phase_peak:0.7111111::
    120:avg_power_position::: 121:max_power_position::: 122:avg_cadence_position:::
    123:max_cadence_position::: 124:enhanced_avg_speed:1000:: 125:enhanced_max_speed:1000::
    126:enhanced_avg_altitude:5:500: 127:enhanced_min_altitude:5:500:
    128:enhanced_max_altitude:5:500: 129:avg_lev_motor_power::: 130:max_lev_motor_power:::
    131:lev_battery_consumption:2:: 132:avg_vertical_ratio:100::
    133:avg_stance_time_balance:100:: 134:avg_step_length:10::
    137:total_anaerobic_training_effect:10:: 139:avg_vam:1000:: 140:avg_depth:1000::
    141:max_depth:1000:: 142:surface_interval::: 143:start_cns::: 144:end_cns::: 145:start_n2:::
    146:end_n2::: 147:avg_respiration_rate::: 148:max_respiration_rate:::
    149:min_respiration_rate::: 150:min_temperature::: 155:o2_toxicity::: 156:dive_number:::
    168:training_load_peak:65536:: 169:enhanced_avg_respiration_rate:100::
    170:enhanced_max_respiration_rate:100:: 180:enhanced_min_respiration_rate:100::
    181:total_grit::: 182:total_flow::: 183:jump_count::: 186:avg_grit::: 187:avg_flow:::
    192:workout_feel::: 193:workout_rpe::: 194:avg_spo2::: 195:avg_stress::: 197:sdrr_hrv:::
    198:rmssd_hrv::: 199:total_fractional_ascent:100:: 200:total_fractional_descent:100::
    208:avg_core_temperature:100:: 209:min_core_temperature:100:: 210:max_core_temperature:100::
    253:timestamp:::t 254:message_index:::
""",
    ),
    19: (
        "lap",
        """
    0:event::: 1:event_type::: 2:start_time:::t 3:start_position_lat::: 4:start_position_long:::
    5:end_position_lat::: 6:end_position_long::: 7:total_elapsed_time:1000::
    8:total_timer_time:1000:: 9:total_distance:100:: 10:total_cycles::: 11:total_calories:::
    12:total_fat_calories::: 13:avg_speed:1000:: 14:max_speed:1000:: 15:avg_heart_rate:::
    16:max_heart_rate::: 17:avg_cadence::: 18:max_cadence::: 19:avg_power::: 20:max_power:::
    21:total_ascent::: 22:total_descent::: 23:intensity::: 24:lap_trigger::: 25:sport:::
    26:event_group::: 32:num_lengths::: 33:normalized_power::: 34:left_right_balance:::
    35:first_length_index::: 37:avg_stroke_distance:100:: 38:swim_stroke::: 39:sub_sport:::
    40:num_active_lengths::: 41:total_work::: 42:avg_altitude:5:500: 43:max_altitude:5:500:
    44:gps_accuracy::: 45:avg_grade:100:: 46:avg_pos_grade:100:: 47:avg_neg_grade:100::
    48:max_pos_grade:100:: 49:max_neg_grade:100:: 50:avg_temperature::: 51:max_temperature:::
    52:total_moving_time:1000:: 53:avg_pos_vertical_speed:1000::
    54:avg_neg_vertical_speed:1000:: 55:max_pos_vertical_speed:1000::
    56:max_neg_vertical_speed:1000:: 57:time_in_hr_zone:1000:: 58:time_in_speed_zone:1000::
    59:time_in_cadence_zone:1000:: 60:time_in_power_zone:1000:: 61:repetition_num:::
    62:min_altitude:5:500: 63:min_heart_rate::: 71:wkt_step_index::: 74:opponent_score:::
    75:stroke_count::: 76:zone_count::: 77:avg_vertical_oscillation:10::
    78:avg_stance_time_percent:100:: 79:avg_stance_time:10:: 80:avg_fractional_cadence:128::
    81:max_fractional_cadence:128:: 82:total_fractional_cycles:128:: 83:player_score:::
    84:avg_total_hemoglobin_conc:100:: 85:min_total_hemoglobin_conc:100::
    86:max_total_hemoglobin_conc:100:: 87:avg_saturated_hemoglobin_percent:10::
    88:min_saturated_hemoglobin_percent:10:: 89:max_saturated_hemoglobin_percent:10::
    91:avg_left_torque_effectiveness:2:: 92:avg_right_torque_effectiveness:2::
    93:avg_left_pedal_smoothness:2:: 94:avg_right_pedal_smoothness:2::
    95:avg_combined_pedal_smoothness:2:: 98:time_standing:1000:: 99:stand_count:::
    100:avg_left_pco::: 101:avg_right_pco::: 102:avg_left_power_phase:0.7111111::
    103:avg_left_power_phase_peak:0.7111111:: 104:avg_right_power_phase:0.7111111::
    105:avg_right_power_phase_peak:0.7111111:: 106:avg_power_position:::
    107:max_power_position::: 108:avg_cadence_position::: 109:max_cadence_position:::
    110:enhanced_avg_speed:1000:: 111:enhanced_max_speed:1000:: 112:enhanced_avg_altitude:5:500:
    113:enhanced_min_altitude:5:500: 114:enhanced_max_altitude:5:500: 115:avg_lev_motor_power:::
    116:max_lev_motor_power::: 117:lev_battery_consumption:2:: 118:avg_vertical_ratio:100::
    119:avg_stance_time_balance:100:: 120:avg_step_length:10:: 121:avg_vam:1000::
    122:avg_depth:1000:: 123:max_depth:1000:: 124:min_temperature:::
    136:enhanced_avg_respiration_rate:100:: 137:enhanced_max_respiration_rate:100::
    147:avg_respiration_rate::: 148:max_respiration_rate::: 149:total_grit::: 150:total_flow:::
    151:jump_count::: 153:avg_grit::: 154:avg_flow::: 156:total_fractional_ascent:100::
    157:total_fractional_descent:100:: 158:avg_core_temperature:100::
    159:min_core_temperature:100:: 160:max_core_temperature:100:: 253:timestamp:::t
    254:message_index:::
""",
    ),
    20: (
        "record",
        """
    0:position_lat::: 1:position_long::: 2:altitude:5:500: 3:heart_rate::: 4:cadence:::
    5:distance:100:: 6:speed:1000:: 7:power::: 8:compressed_speed_distance::: 9:grade:100::
    10:resistance::: 11:time_from_course:1000:: 12:cycle_length:100:: 13:temperature:::
    17:speed_1s:16:: 18:cycles::: 19:total_cycles::: 28:compressed_accumulated_power:::
    29:accumulated_power::: 30:left_right_balance::: 31:gps_accuracy::: 32:vertical_speed:1000::
    33:calories::: 39:vertical_oscillation:10:: 40:stance_time_percent:100:: 41:stance_time:10::
    42:activity_type::: 43:left_torque_effectiveness:2:: 44:right_torque_effectiveness:2::
    45:left_pedal_smoothness:2:: 46:right_pedal_smoothness:2:: 47:combined_pedal_smoothness:2::
    48:time128:128:: 49:stroke_type::: 50:zone::: 51:ball_speed:100:: 52:cadence256:256::
    53:fractional_cadence:128:: 54:total_hemoglobin_conc:100::
    55:total_hemoglobin_conc_min:100:: 56:total_hemoglobin_conc_max:100::
    57:saturated_hemoglobin_percent:10:: 58:saturated_hemoglobin_percent_min:10::
    59:saturated_hemoglobin_percent_max:10:: 62:device_index::: 67:left_pco::: 68:right_pco:::
    69:left_power_phase:0.7111111:: 70:left_power_phase_peak:0.7111111::
    71:right_power_phase:0.7111111:: 72:right_power_phase_peak:0.7111111::
    73:enhanced_speed:1000:: 78:enhanced_altitude:5:500: 81:battery_soc:2:: 82:motor_power:::
    83:vertical_ratio:100:: 84:stance_time_balance:100:: 85:step_length:10::
    87:cycle_length16:100:: 91:absolute_pressure::: 92:depth:1000:: 93:next_stop_depth:1000::
    94:next_stop_time::: 95:time_to_surface::: 96:ndl_time::: 97:cns_load::: 98:n2_load:::
    99:respiration_rate::: 108:enhanced_respiration_rate:100:: 114:grit::: 115:flow:::
    116:current_stress:100:: 117:ebike_travel_range::: 118:ebike_battery_level:::
    119:ebike_assist_mode::: 120:ebike_assist_level_percent::: 123:air_time_remaining:::
    124:pressure_sac:100:: 125:volume_sac:100:: 126:rmv:100:: 127:ascent_rate:1000::
    129:po2:100:: 139:core_temperature:100:: 253:timestamp:::t
""",
    ),
    21: (
        "event",
        """
    0:event::: 1:event_type::: 2:data16::: 3:data::: 4:event_group::: 7:score:::
    8:opponent_score::: 9:front_gear_num::: 10:front_gear::: 11:rear_gear_num::: 12:rear_gear:::
    13:device_index::: 14:activity_type::: 15:start_timestamp:::t 21:radar_threat_level_max:::
    22:radar_threat_count::: 23:radar_threat_avg_approach_speed:10::
    24:radar_threat_max_approach_speed:10:: 253:timestamp:::t
""",
    ),
    23: (
        "device_info",
        """
    0:device_index::: 1:device_type::: 2:manufacturer::: 3:serial_number::: 4:product:::
    5:software_version:100:: 6:hardware_version::: 7:cum_operating_time:::
    10:battery_voltage:256:: 11:battery_status::: 18:sensor_position::: 19:descriptor:::s
    20:ant_transmission_type::: 21:ant_device_number::: 22:ant_network::: 25:source_type:::
    27:product_name:::s 32:battery_level::: 253:timestamp:::t
""",
    ),
    34: (
        "activity",
        """
    0:total_timer_time:1000:: 1:num_sessions::: 2:type::: 3:event::: 4:event_type:::
    5:local_timestamp:::t 6:event_group::: 253:timestamp:::t
""",
    ),
    132: (
        "hr",
        """
    0:fractional_timestamp:32768:: 1:time256:256:: 6:filtered_bpm::: 9:event_timestamp:1024::
    10:event_timestamp_12::: 253:timestamp:::t
""",
    ),
    162: (
        "timestamp_correlation",
        """
    0:fractional_timestamp:32768:: 1:system_timestamp::: 2:fractional_system_timestamp:32768::
    3:local_timestamp::: 4:timestamp_ms::: 5:system_timestamp_ms::: 253:timestamp:::t
""",
    ),
    78: (
        "hrv",
        """
    0:time:1000::
""",
    ),
    206: (
        "field_description",
        """
    0:developer_data_index::: 1:field_definition_number::: 2:fit_base_type_id:::
    3:field_name:::s 4:array::: 5:components:::s 6:scale::: 7:offset::: 8:units:::s 9:bits:::s
    10:accumulate:::s 13:fit_base_unit_id::: 14:native_mesg_num::: 15:native_field_num:::
""",
    ),
    207: (
        "developer_data_id",
        """
    0:developer_id::: 1:application_id::: 2:manufacturer_id::: 3:developer_data_index:::
    4:application_version:::
""",
    ),
}

_ENUMS = {
    "file": """
    1:device 2:settings 3:sport 4:activity 5:workout 6:course 7:schedules 9:weight 10:totals
    11:goals 14:blood_pressure 15:monitoring_a 20:activity_summary 28:monitoring_daily
    32:monitoring_b 34:segment 35:segment_list 40:exd_configuration 247:mfg_range_min
    254:mfg_range_max
""",
    "sport": """
    0:generic 1:running 2:cycling 3:transition 4:fitness_equipment 5:swimming 6:basketball
    7:soccer 8:tennis 9:american_football 10:training 11:walking 12:cross_country_skiing
    13:alpine_skiing 14:snowboarding 15:rowing 16:mountaineering 17:hiking 18:multisport
    19:paddling 20:flying 21:e_biking 22:motorcycling 23:boating 24:driving 25:golf
    26:hang_gliding 27:horseback_riding 28:hunting 29:fishing 30:inline_skating 31:rock_climbing
    32:sailing 33:ice_skating 34:sky_diving 35:snowshoeing 36:snowmobiling
    37:stand_up_paddleboarding 38:surfing 39:wakeboarding 40:water_skiing 41:kayaking 42:rafting
    43:windsurfing 44:kitesurfing 45:tactical 46:jumpmaster 47:boxing 48:floor_climbing
    49:baseball 53:diving 62:hiit 64:racket 65:wheelchair_push_walk 66:wheelchair_push_run
    67:meditation 69:disc_golf 71:cricket 72:rugby 73:hockey 74:lacrosse 75:volleyball
    76:water_tubing 77:wakesurfing 80:mixed_martial_arts 82:snorkeling 83:dance 84:jump_rope
    254:all
""",
    "sub_sport": """
    0:generic 1:treadmill 2:street 3:trail 4:track 5:spin 6:indoor_cycling 7:road 8:mountain
    9:downhill 10:recumbent 11:cyclocross 12:hand_cycling 13:track_cycling 14:indoor_rowing
    15:elliptical 16:stair_climbing 17:lap_swimming 18:open_water 19:flexibility_training
    20:strength_training 21:warm_up 22:match 23:exercise 24:challenge 25:indoor_skiing
    26:cardio_training 27:indoor_walking 28:e_bike_fitness 29:bmx 30:casual_walking
    31:speed_walking 32:bike_to_run_transition 33:run_to_bike_transition
    34:swim_to_bike_transition 35:atv 36:motocross 37:backcountry 38:resort 39:rc_drone
    40:wingsuit 41:whitewater 42:skate_skiing 43:yoga 44:pilates 45:indoor_running
    46:gravel_cycling 47:e_bike_mountain 48:commuting 49:mixed_surface 50:navigate 51:track_me
    52:map 53:single_gas_diving 54:multi_gas_diving 55:gauge_diving 56:apnea_diving
    57:apnea_hunting 58:virtual_activity 59:obstacle 62:breathing 65:sail_race 67:ultra
    68:indoor_climbing 69:bouldering 70:hiit 73:amrap 74:emom 75:tabata 84:pickleball 85:padel
    86:indoor_wheelchair_walk 87:indoor_wheelchair_run 88:indoor_hand_cycling 94:squash
    95:badminton 96:racquetball 97:table_tennis 110:fly_canopy 111:fly_paraglide
    112:fly_paramotor 113:fly_pressurized 114:fly_navigate 115:fly_timer 116:fly_altimeter
    117:fly_wx 118:fly_vfr 119:fly_ifr 254:all
""",
    "manufacturer": """
    1:garmin 2:garmin_fr405_antfs 3:zephyr 4:dayton 5:idt 6:srm 7:quarq 8:ibike 9:saris
    10:spark_hk 11:tanita 12:echowell 13:dynastream_oem 14:nautilus 15:dynastream 16:timex
    17:metrigear 18:xelic 19:beurer 20:cardiosport 21:a_and_d 22:hmm 23:suunto
    24:thita_elektronik 25:gpulse 26:clean_mobile 27:pedal_brain 28:peaksware 29:saxonar
    30:lemond_fitness 31:dexcom 32:wahoo_fitness 33:octane_fitness 34:archinoetics
    35:the_hurt_box 36:citizen_systems 37:magellan 38:osynce 39:holux 40:concept2 41:shimano
    42:one_giant_leap 43:ace_sensor 44:brim_brothers 45:xplova 46:perception_digital
    47:bf1systems 48:pioneer 49:spantec 50:metalogics 51:4iiiis 52:seiko_epson
    53:seiko_epson_oem 54:ifor_powell 55:maxwell_guider 56:star_trac 57:breakaway
    58:alatech_technology_ltd 59:mio_technology_europe 60:rotor 61:geonaute 62:id_bike
    63:specialized 64:wtek 65:physical_enterprises 66:north_pole_engineering 67:bkool 68:cateye
    69:stages_cycling 70:sigmasport 71:tomtom 72:peripedal 73:wattbike 76:moxy 77:ciclosport
    78:powerbahn 79:acorn_projects_aps 80:lifebeam 81:bontrager 82:wellgo 83:scosche 84:magura
    85:woodway 86:elite 87:nielsen_kellerman 88:dk_city 89:tacx 90:direction_technology
    91:magtonic 92:1partcarbon 93:inside_ride_technologies 94:sound_of_motion 95:stryd 96:icg
    97:MiPulse 98:bsx_athletics 99:look 100:campagnolo_srl 101:body_bike_smart 102:praxisworks
    103:limits_technology 104:topaction_technology 105:cosinuss 106:fitcare 107:magene
    108:giant_manufacturing_co 109:tigrasport 110:salutron 111:technogym 112:bryton_sensors
    113:latitude_limited 114:soaring_technology 115:igpsport 116:thinkrider 117:gopher_sport
    118:waterrower 119:orangetheory 120:inpeak 121:kinetic 122:johnson_health_tech
    123:polar_electro 124:seesense 125:nci_technology 126:iqsquare 127:leomo 128:ifit_com
    129:coros_byte 130:versa_design 131:chileaf 132:cycplus 133:gravaa_byte 134:sigeyi
    135:coospo 136:geoid 137:bosch 138:kyto 139:kinetic_sports 140:decathlon_byte 141:tq_systems
    142:tag_heuer 143:keiser_fitness 144:zwift_byte 145:porsche_ep 146:blackbird 147:meilan_byte
    148:ezon 149:laisi 150:myzone 151:abawo 152:bafang 153:luhong_technology 255:development
    257:healthandlife 258:lezyne 259:scribe_labs 260:zwift 261:watteam 262:recon
    263:favero_electronics 264:dynovelo 265:strava 266:precor 267:bryton 268:sram 269:navman
    270:cobi 271:spivi 272:mio_magellan 273:evesports 274:sensitivus_gauge 275:podoon
    276:life_time_fitness 277:falco_e_motors 278:minoura 279:cycliq 280:luxottica
    281:trainer_road 282:the_sufferfest 283:fullspeedahead 284:virtualtraining
    285:feedbacksports 286:omata 287:vdo 288:magneticdays 289:hammerhead 290:kinetic_by_kurt
    291:shapelog 292:dabuziduo 293:jetblack 294:coros 295:virtugo 296:velosense 297:cycligentinc
    298:trailforks 299:mahle_ebikemotion 300:nurvv 301:microprogram 302:zone5cloud 303:greenteg
    304:yamaha_motors 305:whoop 306:gravaa 307:onelap 308:monark_exercise 309:form 310:decathlon
    311:syncros 312:heatup 313:cannondale 314:true_fitness 315:RGT_cycling 316:vasa
    317:race_republic 318:fazua 319:oreka_training 320:lsec 321:lululemon_studio 322:shanyue
    323:spinning_mda 324:hilldating 325:aero_sensor 326:nike 327:magicshine 328:ictrainer
    329:absolute_cycling 330:eo_swimbetter 331:mywhoosh 332:ravemen 333:tektro_racing_products
    334:darad_innovation_corporation 335:cycloptim 5759:actigraphcorp
""",
    "garmin_product": """
    1:hrm1 2:axh01 3:axb01 4:axb02 5:hrm2ss 6:dsi_alf02 7:hrm3ss
    8:hrm_run_single_byte_product_id 9:bsm 10:bcm 11:axs01 12:hrm_tri_single_byte_product_id
    13:hrm4_run_single_byte_product_id 14:fr225_single_byte_product_id
    15:gen3_bsm_single_byte_product_id 16:gen3_bcm_single_byte_product_id
    22:hrm_fit_single_byte_product_id 255:OHR 473:fr301_china 474:fr301_japan 475:fr301_korea
    494:fr301_taiwan 717:fr405 782:fr50 987:fr405_japan 988:fr60 1011:dsi_alf01 1018:fr310xt
    1036:edge500 1124:fr110 1169:edge800 1199:edge500_taiwan 1213:edge500_japan 1253:chirp
    1274:fr110_japan 1325:edge200 1328:fr910xt 1333:edge800_taiwan 1334:edge800_japan 1341:alf04
    1345:fr610 1360:fr210_japan 1380:vector_ss 1381:vector_cp 1386:edge800_china
    1387:edge500_china 1405:approach_g10 1410:fr610_japan 1422:edge500_korea 1436:fr70
    1446:fr310xt_4t 1461:amx 1482:fr10 1497:edge800_korea 1499:swim 1537:fr910xt_china
    1551:fenix 1555:edge200_taiwan 1561:edge510 1567:edge810 1570:tempe 1600:fr910xt_japan
    1623:fr620 1632:fr220 1664:fr910xt_korea 1688:fr10_japan 1721:edge810_japan 1735:virb_elite
    1736:edge_touring 1742:edge510_japan 1743:hrm_tri 1752:hrm_run 1765:fr920xt
    1821:edge510_asia 1822:edge810_china 1823:edge810_taiwan 1836:edge1000 1837:vivo_fit
    1853:virb_remote 1885:vivo_ki 1903:fr15 1907:vivo_active 1918:edge510_korea 1928:fr620_japan
    1929:fr620_china 1930:fr220_japan 1931:fr220_china 1936:approach_s6 1956:vivo_smart
    1967:fenix2 1988:epix 2050:fenix3 2052:edge1000_taiwan 2053:edge1000_japan 2061:fr15_japan
    2067:edge520 2070:edge1000_china 2072:fr620_russia 2073:fr220_russia 2079:vector_s
    2100:edge1000_korea 2130:fr920xt_taiwan 2131:fr920xt_china 2132:fr920xt_japan 2134:virbx
    2135:vivo_smart_apac 2140:etrex_touch 2147:edge25 2148:fr25 2150:vivo_fit2 2153:fr225
    2156:fr630 2157:fr230 2158:fr735xt 2160:vivo_active_apac 2161:vector_2 2162:vector_2s
    2172:virbxe 2173:fr620_taiwan 2174:fr220_taiwan 2175:truswing 2187:d2airvenu
    2188:fenix3_china 2189:fenix3_twn 2192:varia_headlight 2193:varia_taillight_old
    2204:edge_explore_1000 2219:fr225_asia 2225:varia_radar_taillight 2226:varia_radar_display
    2238:edge20 2260:edge520_asia 2261:edge520_japan 2262:d2_bravo 2266:approach_s20
    2271:vivo_smart2 2274:edge1000_thai 2276:varia_remote 2288:edge25_asia 2289:edge25_jpn
    2290:edge20_asia 2292:approach_x40 2293:fenix3_japan 2294:vivo_smart_emea 2310:fr630_asia
    2311:fr630_jpn 2313:fr230_jpn 2327:hrm4_run 2332:epix_japan 2337:vivo_active_hr
    2347:vivo_smart_gps_hr 2348:vivo_smart_hr 2361:vivo_smart_hr_asia
    2362:vivo_smart_gps_hr_asia 2368:vivo_move 2379:varia_taillight 2396:fr235_asia
    2397:fr235_japan 2398:varia_vision 2406:vivo_fit3 2407:fenix3_korea 2408:fenix3_sea
    2413:fenix3_hr 2417:virb_ultra_30 2429:index_smart_scale 2431:fr235 2432:fenix3_chronos
    2441:oregon7xx 2444:rino7xx 2457:epix_korea 2473:fenix3_hr_chn 2474:fenix3_hr_twn
    2475:fenix3_hr_jpn 2476:fenix3_hr_sea 2477:fenix3_hr_kor 2496:nautix
    2497:vivo_active_hr_apac 2503:fr35 2512:oregon7xx_ww 2530:edge_820 2531:edge_explore_820
    2533:fr735xt_apac 2534:fr735xt_japan 2544:fenix5s 2547:d2_bravo_titanium 2567:varia_ut800
    2593:running_dynamics_pod 2599:edge_820_china 2600:edge_820_japan 2604:fenix5x
    2606:vivo_fit_jr 2622:vivo_smart3 2623:vivo_sport 2628:edge_820_taiwan 2629:edge_820_korea
    2630:edge_820_sea 2650:fr35_hebrew 2656:approach_s60 2667:fr35_apac 2668:fr35_japan
    2675:fenix3_chronos_asia 2687:virb_360 2691:fr935 2697:fenix5 2700:vivoactive3
    2713:edge_1030 2727:fr35_sea 2733:fr235_china_nfc 2769:foretrex_601_701 2772:vivo_move_hr
    2787:vector_3 2796:fenix5_asia 2797:fenix5s_asia 2798:fenix5x_asia 2806:approach_z80
    2814:fr35_korea 2819:d2charlie 2831:vivo_smart3_apac 2832:vivo_sport_apac 2833:fr935_asia
    2859:descent 2878:vivo_fit4 2886:fr645 2888:fr645m 2891:fr30 2900:fenix5s_plus 2909:Edge_130
    2924:edge_1030_asia 2927:vivosmart_4 2945:vivo_move_hr_asia 2962:approach_x10 2977:fr30_asia
    2988:vivoactive3m_w 3003:fr645_asia 3004:fr645m_asia 3011:edge_explore 3028:gpsmap66
    3049:approach_s10 3066:vivoactive3m_l 3076:fr245 3077:fr245_music 3085:approach_g80
    3092:edge_130_asia 3095:edge_1030_bontrager 3110:fenix5_plus 3111:fenix5x_plus
    3112:edge_520_plus 3113:fr945 3121:edge_530 3122:edge_830 3126:instinct_esports
    3134:fenix5s_plus_apac 3135:fenix5x_plus_apac 3142:edge_520_plus_apac 3143:descent_t1
    3144:fr235l_asia 3145:fr245_asia 3163:vivo_active3m_apac 3192:gen3_bsm 3193:gen3_bcm
    3218:vivo_smart4_asia 3224:vivoactive4_small 3225:vivoactive4_large 3226:venu
    3246:marq_driver 3247:marq_aviator 3248:marq_captain 3249:marq_commander
    3250:marq_expedition 3251:marq_athlete 3258:descent_mk2 3282:fr45 3284:gpsmap66i
    3287:fenix6S_sport 3288:fenix6S 3289:fenix6_sport 3290:fenix6 3291:fenix6x 3299:hrm_dual
    3300:hrm_pro 3308:vivo_move3_premium 3314:approach_s40 3321:fr245m_asia 3349:edge_530_apac
    3350:edge_830_apac 3378:vivo_move3 3387:vivo_active4_small_asia 3388:vivo_active4_large_asia
    3389:vivo_active4_oled_asia 3405:swim2 3420:marq_driver_asia 3421:marq_aviator_asia
    3422:vivo_move3_asia 3441:fr945_asia 3446:vivo_active3t_chn 3448:marq_captain_asia
    3449:marq_commander_asia 3450:marq_expedition_asia 3451:marq_athlete_asia
    3461:index_smart_scale_2 3466:instinct_solar 3469:fr45_asia 3473:vivoactive3_daimler
    3498:legacy_rey 3499:legacy_darth_vader 3500:legacy_captain_marvel 3501:legacy_first_avenger
    3512:fenix6s_sport_asia 3513:fenix6s_asia 3514:fenix6_sport_asia 3515:fenix6_asia
    3516:fenix6x_asia 3535:legacy_captain_marvel_asia 3536:legacy_first_avenger_asia
    3537:legacy_rey_asia 3538:legacy_darth_vader_asia 3542:descent_mk2s 3558:edge_130_plus
    3570:edge_1030_plus 3578:rally_200 3589:fr745 3596:venusq_music 3599:venusq_music_v2
    3600:venusq 3615:lily 3624:marq_adventurer 3638:enduro 3639:swim2_apac
    3648:marq_adventurer_asia 3652:fr945_lte 3702:descent_mk2_asia 3703:venu2 3704:venu2s
    3737:venu_daimler_asia 3739:marq_golfer 3740:venu_daimler 3794:fr745_asia 3808:varia_rct715
    3809:lily_asia 3812:edge_1030_plus_asia 3813:edge_130_plus_asia 3823:approach_s12
    3837:venusq_asia 3843:edge_1040 3850:marq_golfer_asia 3851:venu2_plus 3865:gnss 3869:fr55
    3872:enduro_asia 3888:instinct_2 3889:instinct_2s 3905:fenix7s 3906:fenix7 3907:fenix7x
    3908:fenix7s_apac 3909:fenix7_apac 3910:fenix7x_apac 3927:approach_g12
    3930:descent_mk2s_asia 3934:approach_s42 3943:epix_gen2 3944:epix_gen2_apac 3949:venu2s_asia
    3950:venu2_asia 3978:fr945_lte_asia 3982:vivo_move_sport 3983:vivomove_trend
    3986:approach_S12_asia 3990:fr255_music 3991:fr255_small_music 3992:fr255 3993:fr255_small
    4001:approach_g12_asia 4002:approach_s42_asia 4005:descent_g1 4017:venu2_plus_asia
    4024:fr955 4033:fr55_asia 4061:edge_540 4062:edge_840 4063:vivosmart_5 4071:instinct_2_asia
    4105:marq_gen2 4115:venusq2 4116:venusq2music 4124:marq_gen2_aviator 4125:d2_air_x10
    4130:hrm_pro_plus 4132:descent_g1_asia 4135:tactix7 4155:instinct_crossover
    4169:edge_explore2 4222:descent_mk3 4223:descent_mk3i 4233:approach_s70 4257:fr265_large
    4258:fr265_small 4260:venu3 4261:venu3s 4265:tacx_neo_smart 4266:tacx_neo2_smart
    4267:tacx_neo2_t_smart 4268:tacx_neo_smart_bike 4269:tacx_satori_smart 4270:tacx_flow_smart
    4271:tacx_vortex_smart 4272:tacx_bushido_smart 4273:tacx_genius_smart
    4274:tacx_flux_flux_s_smart 4275:tacx_flux2_smart 4276:tacx_magnum 4305:edge_1040_asia
    4312:epix_gen2_pro_42 4313:epix_gen2_pro_47 4314:epix_gen2_pro_51 4315:fr965 4341:enduro2
    4374:fenix7s_pro_solar 4375:fenix7_pro_solar 4376:fenix7x_pro_solar 4380:lily2
    4394:instinct_2x 4426:vivoactive5 4432:fr165 4433:fr165_music 4440:edge_1050 4442:descent_t2
    4446:hrm_fit 4472:marq_gen2_commander 4477:lily_athlete 4532:fenix8_solar
    4533:fenix8_solar_large 4534:fenix8_small 4536:fenix8 4556:d2_mach1_pro 4575:enduro3
    4583:instinctE_40mm 4584:instinctE_45mm 4585:instinct3_solar_45mm 4586:instinct3_amoled_45mm
    4587:instinct3_amoled_50mm 4588:descent_g2 4606:hrm_200 4625:vivoactive6 4647:approachS44
    4656:approachS50 4666:fenix_e 4759:instinct3_solar_50mm 4775:tactix8_amoled
    4776:tactix8_solar 10007:sdm4 10014:edge_remote 20119:training_center
    20533:tacx_training_app_win 20534:tacx_training_app_mac 20565:tacx_training_app_mac_catalyst
    30045:tacx_training_app_android 30046:tacx_training_app_ios 30047:tacx_training_app_legacy
    65531:connectiq_simulator 65532:android_antplus_plugin 65534:connect
""",
    "event": """
    0:timer 3:workout 4:workout_step 5:power_down 6:power_up 7:off_course 8:session 9:lap
    10:course_point 11:battery 12:virtual_partner_pace 13:hr_high_alert 14:hr_low_alert
    15:speed_high_alert 16:speed_low_alert 17:cad_high_alert 18:cad_low_alert
    19:power_high_alert 20:power_low_alert 21:recovery_hr 22:battery_low 23:time_duration_alert
    24:distance_duration_alert 25:calorie_duration_alert 26:activity 27:fitness_equipment
    28:length 32:user_marker 33:sport_point 36:calibration 42:front_gear_change
    43:rear_gear_change 44:rider_position_change 45:elev_high_alert 46:elev_low_alert
    47:comm_timeout 54:auto_activity_detect 56:dive_alert 57:dive_gas_switched
    71:tank_pressure_reserve 72:tank_pressure_critical 73:tank_lost 75:radar_threat_alert
    76:tank_battery_low 81:tank_pod_connected 82:tank_pod_disconnected
""",
    "event_type": """
    0:start 1:stop 2:consecutive_depreciated 3:marker 4:stop_all 5:begin_depreciated
    6:end_depreciated 7:end_all_depreciated 8:stop_disable 9:stop_disable_all
""",
}


@dataclass(frozen=True, slots=True)
class FieldProfile:
    """One profile field: its name, scale/offset (value = raw / scale - offset) and kind."""

    name: str
    scale: float
    offset: float
    is_time: bool
    is_string: bool


@dataclass(frozen=True, slots=True)
class MessageProfile:
    """One profile message: its name and the fields we decode, by field number."""

    name: str
    fields: dict[int, FieldProfile]


def _parse_fields(text: str) -> dict[int, FieldProfile]:
    fields: dict[int, FieldProfile] = {}
    for item in text.split():
        num, name, scale, offset, kind = item.split(":")
        fields[int(num)] = FieldProfile(
            name=name,
            scale=float(scale) if scale else 1.0,
            offset=float(offset) if offset else 0.0,
            is_time=kind == "t",
            is_string=kind == "s",
        )
    return fields


def _parse_enum(text: str) -> dict[int, str]:
    pairs = (item.split(":", 1) for item in text.split())
    return {int(key): value for key, value in pairs}


MESSAGES: dict[int, MessageProfile] = {
    num: MessageProfile(name, _parse_fields(text)) for num, (name, text) in _MESSAGES.items()
}
MESSAGE_NUMBERS: dict[str, int] = {profile.name: num for num, profile in MESSAGES.items()}
ENUMS: dict[str, dict[int, str]] = {name: _parse_enum(text) for name, text in _ENUMS.items()}

#: 1989-12-31T00:00:00Z, the FIT epoch, in Unix seconds
FIT_EPOCH_S = 631065600
#: date_time values beyond this are no real date (year ~2262 is datetime64[ms]'s limit)
MAX_FIT_SECONDS = 2**33
#: FIT date_time values below this count from power-on (FIT protocol, date_time type)
RELATIVE_LIMIT_S = 0x10000000

#: Manufacturers whose `product` numbers use the garmin_product list.
GARMIN_PRODUCT_MAKERS = frozenset({1, 13, 15, 89})


def enum_name(enum: str, value: float | int | None) -> str | None:
    """The profile name of an enum value, its number as text when unknown, None when missing."""
    if value is None or value != value:  # NaN is missing
        return None
    number = int(value)
    return ENUMS[enum].get(number, str(number))
